// Starts a Spire server for one test file: its own loopback port and a fresh
// SQLite database in a temporary directory.
//
//   const spire = await startSpire();
//   ... spire.baseURL ...
//   await spire.stop();   // fails if the server exited badly or a sanitizer spoke
//
//   const spire = await startSpire({ demo: true });   // `spire demo` first
//   ... log in as applicant@baerum.example with spire.demoPassword ...
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

// The password `startSpire({demo: true})` gives every demo user (not the
// built-in default, so that the tests do not depend on it).
export const DEMO_PASSWORD = 'e2e-demo-password-2017';
const DEMO_TIMEOUT_MS = 60_000;

function sanitizerReportsIn(text) {
  return SANITIZER_REPORTS.filter((report) => text.includes(report));
}

// Runs `spire demo --db <db> --password <password>` to completion; throws
// with its output if it fails, times out or a sanitizer speaks.
function runDemo(bin, db, password, env) {
  const args = ['demo', '--db', db, '--password', password];
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk) => { output += chunk; });
    child.stderr.on('data', (chunk) => { output += chunk; });
    const timer = setTimeout(() => child.kill('SIGKILL'), DEMO_TIMEOUT_MS);
    child.on('error', (err) => { clearTimeout(timer); reject(err); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const reports = sanitizerReportsIn(output);
      if (code === 0 && reports.length === 0) {
        resolve(output);
        return;
      }
      reject(new Error(
        `${bin} ${args.join(' ')} failed (code ${code}, signal ${signal}` +
        `${reports.length ? `; output contains ${reports.map((r) => `"${r}"`).join(', ')}` : ''})\n` +
        `--- output ---\n${tail(output, 8000)}`));
    });
  });
}

/**
 * @param {{args?: string[], env?: Record<string,string>,
 *          demo?: boolean, demoPassword?: string}} [options]
 *   extra command-line arguments after `serve ...`, extra environment;
 *   `demo: true` fills the database with `spire demo` before serving (every
 *   demo user gets `demoPassword`, default DEMO_PASSWORD)
 * @returns {Promise<{baseURL: string, stop: () => Promise<void>, stderr: () => string,
 *                    demoPassword: string | null}>}
 */
export async function startSpire(options = {}) {
  const bin = requireEnv('SPIRE_BIN');
  requireEnv('SPIRE_ROOT');
  const dir = await mkdtemp(path.join(tmpdir(), 'spire-e2e-'));
  const db = `sqlite:${path.join(dir, 'spire.db')}`;
  const demoPassword = options.demo ? (options.demoPassword ?? DEMO_PASSWORD) : null;
  if (options.demo) {
    try {
      await runDemo(bin, db, demoPassword, { ...process.env, ...options.env });
    } catch (err) {
      await rm(dir, { recursive: true, force: true });
      throw err;
    }
  }
  const args = [
    'serve', '--port', '0',
    '--db', db,
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

  return { baseURL, stop, stderr: () => stderr, demoPassword };
}
