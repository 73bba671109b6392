// Starts a Spire server for one test file: its own loopback port and a fresh
// SQLite database in a temporary directory.
//
//   const spire = await startSpire();
//   ... spire.baseURL ...
//   await spire.stop();   // fails if the server exited badly or a sanitizer spoke
//
// Environment (set by ctest, see tests/CMakeLists.txt):
//   SPIRE_BIN         the spire executable
//   SPIRE_ROOT        repository root (templates/, static/)
//   SPIRE_LOCALE_DIR  compiled translation catalogues
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;
const LISTENING = /^spire: listening on (http:\/\/127\.0\.0\.1:\d+)\s*$/m;
// Sanitizer reports, which must fail the test even when the exit code is 0
// (e.g. a report printed while shutting down).
const SANITIZER_REPORTS = ['ERROR: AddressSanitizer', 'ERROR: LeakSanitizer', 'runtime error:'];

function requireEnv(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set; run the browser tests through ctest (ctest -R e2e)`);
  }
  return value;
}

// Keeps only the end of a long log for error messages.
function tail(text, max = 4000) {
  return text.length <= max ? text : `…${text.slice(-max)}`;
}

/**
 * @param {{args?: string[], env?: Record<string,string>}} [options]
 *   extra command-line arguments after `serve ...`, extra environment
 * @returns {Promise<{baseURL: string, stop: () => Promise<void>, stderr: () => string}>}
 */
export async function startSpire(options = {}) {
  const bin = requireEnv('SPIRE_BIN');
  requireEnv('SPIRE_ROOT');
  const dir = await mkdtemp(path.join(tmpdir(), 'spire-e2e-'));
  const args = [
    'serve', '--port', '0',
    '--db', `sqlite:${path.join(dir, 'spire.db')}`,
    '--threads', '2',
    ...(options.args ?? []),
  ];
  const child = spawn(bin, args, {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => { stderr += chunk; });

  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  let exitStatus = null;
  exited.then((status) => { exitStatus = status; });

  const cleanup = () => rm(dir, { recursive: true, force: true });

  let baseURL;
  try {
    baseURL = await new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no "spire: listening on" line within ${START_TIMEOUT_MS} ms`)),
        START_TIMEOUT_MS);
      child.on('error', (err) => { clearTimeout(timer); reject(err); });
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
        const match = LISTENING.exec(stdout);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
      exited.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(new Error(`spire exited before listening (code ${code}, signal ${signal})`));
      });
    });
  } catch (err) {
    if (exitStatus === null) {
      child.kill('SIGKILL');
      await exited;
    }
    await cleanup();
    throw new Error(
      `could not start ${bin} ${args.join(' ')}: ${err.message}\n` +
      `--- stdout ---\n${tail(stdout)}\n--- stderr ---\n${tail(stderr)}`);
  }
  // Keep draining stdout so the server never blocks on a full pipe.
  child.stdout.on('data', (chunk) => { stdout = tail(stdout + chunk, 64_000); });

  let stopped = false;
  async function stop() {
    if (stopped) return;
    stopped = true;
    if (exitStatus === null) {
      child.kill('SIGTERM');
      const timedOut = await Promise.race([
        exited.then(() => false),
        new Promise((resolve) => setTimeout(() => resolve(true), STOP_TIMEOUT_MS).unref()),
      ]);
      if (timedOut) {
        child.kill('SIGKILL');
        await exited;
        await cleanup();
        throw new Error(`spire did not exit within ${STOP_TIMEOUT_MS} ms of SIGTERM\n` +
          `--- stderr ---\n${tail(stderr)}`);
      }
    }
    await cleanup();
    const { code, signal } = exitStatus ?? (await exited);
    const problems = [];
    if (code !== 0) problems.push(`exit code ${code}${signal ? `, signal ${signal}` : ''}`);
    for (const report of SANITIZER_REPORTS) {
      if (stderr.includes(report)) problems.push(`stderr contains "${report}"`);
    }
    if (problems.length > 0) {
      throw new Error(`spire stopped badly: ${problems.join('; ')}\n--- stderr ---\n${tail(stderr, 8000)}`);
    }
  }

  return { baseURL, stop, stderr: () => stderr };
}
