// Identity in the browser, on the demo data (`spire demo`): logging in and
// out as every role through the real form (once by keyboard only, once
// without JavaScript), the menu each role sees, the wrong-password state, the
// administration pages (users, roles, units, audit log) for an administrator,
// what an auditor and an applicant may not do, and that one organisation
// cannot open another's users. Every page state gets axe (WCAG 2.1 AA) and a
// screenshot in $SPIRE_ARTIFACTS (identity-*.png).
//
// Run: ctest --test-dir build/<dir> -R e2e
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { launchBrowser } from './support/browser.mjs';
import { startSpire } from './support/spire.mjs';
import {
  Visitor as BaseVisitor, h1Text, logIn as baseLogIn, pathOf, tabTo, trimmed,
} from './support/visitor.mjs';

const TEST_TIMEOUT_MS = 180_000;

// The main menu (header navigation) by what a role may reach; see
// navigation_for in src/identity/routes.cpp.
const NAV_EVERYONE = ['Forside', 'Profil'];
const NAV_REVIEWER = ['Forside', 'Mine vurderinger', 'Profil'];
const NAV_APPLICANT = ['Forside', 'Mine søknader', 'Profil'];
const NAV_UNIT_LEADER = ['Forside', 'Mine søknader', 'Forankring', 'Profil'];
const NAV_DECISION_MAKER = ['Forside', 'Fond', 'Vedtak', 'Søknader', 'Profil'];
const NAV_USERS_AND_UNITS = ['Forside', 'Fond', 'Søknader', 'Brukere', 'Enheter', 'Profil'];
const NAV_WITH_AUDIT = ['Forside', 'Fond', 'Søknader', 'Brukere', 'Enheter', 'Revisjonslogg', 'Profil'];
const NAV_ADMIN = ['Forside', 'Fond', 'Brukere', 'Enheter', 'Revisjonslogg', 'Profil'];

// One demo user per role (src/app/demo.cpp), the role label the header shows
// in Norwegian, and the menu items they must see, in order.
const DEMO_USERS = [
  { key: 'applicant', email: 'applicant@baerum.example', name: 'Ingrid Hansen', role: 'Søker', nav: NAV_APPLICANT },
  { key: 'unit-leader', email: 'unit-leader@baerum.example', name: 'Lars Johansen', role: 'Enhetsleder', nav: NAV_UNIT_LEADER },
  { key: 'fund-manager', email: 'fund-manager@baerum.example', name: 'Silje Berg', role: 'Fondsforvalter', nav: NAV_USERS_AND_UNITS },
  { key: 'reviewer1', email: 'reviewer1@baerum.example', name: 'Ole Kristiansen', role: 'Fagvurderer', nav: NAV_REVIEWER },
  { key: 'reviewer2', email: 'reviewer2@baerum.example', name: 'Marte Solberg', role: 'Fagvurderer', nav: NAV_REVIEWER },
  { key: 'decision-maker', email: 'decision-maker@baerum.example', name: 'Erik Haugen', role: 'Beslutningstaker', nav: NAV_DECISION_MAKER },
  { key: 'procurement-officer', email: 'procurement-officer@baerum.example', name: 'Nina Andersen', role: 'Innkjøper', nav: NAV_EVERYONE },
  { key: 'partner', email: 'partner@baerum.example', name: 'Anders Lie', role: 'Partner', nav: NAV_EVERYONE },
  { key: 'auditor', email: 'auditor@baerum.example', name: 'Hilde Strand', role: 'Revisor', nav: NAV_WITH_AUDIT },
  { key: 'admin', email: 'admin@baerum.example', name: 'Jonas Bakke', role: 'Administrator', nav: NAV_ADMIN },
];
const demoUser = (key) => DEMO_USERS.find((u) => u.key === key);
const ASKER_ADMIN = { key: 'asker-admin', email: 'admin@asker.example', name: 'Marius Dahl', role: 'Administrator', nav: NAV_ADMIN };

const WRONG_CREDENTIALS = 'E-postadressen eller passordet er feil.';

let spire;
let browser;

before(async () => {
  spire = await startSpire({ demo: true });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await spire?.stop();
});

// --- Helpers ---------------------------------------------------------------------

// The shared page checks (support/visitor.mjs), bound to this file's Spire,
// browser and screenshot prefix.
const Visitor = {
  open: (label, contextOptions = {}) =>
    BaseVisitor.open({ browser, baseURL: spire.baseURL, prefix: 'identity', label, contextOptions }),
};
const logIn = (visitor, user, options) => baseLogIn(visitor, user, spire.demoPassword, options);

/** The header and menu of a logged-in user. */
async function expectLoggedInHeader(visitor, user) {
  const { header, menu } = visitor;
  const userLine = header.locator('.site-header__user');
  assert.equal((await userLine.getByRole('link').innerText()).trim(), user.name,
    `${visitor.label}: the header should name the user`);
  assert.equal((await userLine.getByRole('link').getAttribute('href')), '/profile');
  assert.equal((await userLine.locator('.site-header__roles').innerText()).trim(), user.role,
    `${visitor.label}: the header should show the role`);
  assert.deepEqual(trimmed(await menu.getByRole('link').allInnerTexts()), user.nav,
    `${visitor.label}: the items in the main menu`);
  assert.equal(await header.getByRole('button', { name: 'Logg ut' }).count(), 1,
    `${visitor.label}: one "Logg ut" button in the header`);
  assert.equal(await header.getByRole('link', { name: 'Logg inn' }).count(), 0,
    `${visitor.label}: no "Logg inn" link while logged in`);
}

async function expectLoggedOutHeader(visitor) {
  const { header, menu } = visitor;
  assert.equal(await header.getByRole('link', { name: 'Logg inn' }).count(), 1,
    `${visitor.label}: the "Logg inn" link should be back in the header`);
  assert.equal(await header.getByRole('button', { name: 'Logg ut' }).count(), 0,
    `${visitor.label}: no "Logg ut" button after logging out`);
  assert.equal(await header.locator('.site-header__user').count(), 0,
    `${visitor.label}: no user name in the header after logging out`);
  assert.deepEqual(trimmed(await menu.getByRole('link').allInnerTexts()), ['Forside'],
    `${visitor.label}: the main menu after logging out`);
}

/** Logs out with the header button (clicked, or by keyboard) and checks the session is gone. */
async function logOut(visitor, { keyboard = false } = {}) {
  const button = visitor.header.getByRole('button', { name: 'Logg ut' });
  if (keyboard) {
    await tabTo(visitor.page, 'header button[type="submit"]');
    assert.equal((await visitor.page.evaluate(() => document.activeElement.textContent.trim())), 'Logg ut');
    await visitor.submit(() => visitor.page.keyboard.press('Enter'), { shot: `${visitor.label}-logged-out` });
  } else {
    await visitor.submit(() => button.click(), { shot: `${visitor.label}-logged-out` });
  }
  assert.equal(pathOf(visitor.page.url()), '/', `${visitor.label}: logging out should lead to the front page`);
  await expectLoggedOutHeader(visitor);
  // The session really ended: the profile asks for a login again.
  await visitor.goto('/profile', { shot: `${visitor.label}-profile-after-logout` });
  assert.equal(pathOf(visitor.page.url()), '/login', `${visitor.label}: /profile after logging out`);
  assert.equal(new URL(visitor.page.url()).searchParams.get('next'), '/profile');
}

/** The ids of the users listed on /admin/users (as the visitor sees them), by e-mail. */
async function listedUsers(visitor) {
  const rows = visitor.main.locator('table tbody tr');
  const users = new Map();
  for (const row of await rows.all()) {
    const link = row.getByRole('link');
    const href = await link.getAttribute('href');
    const email = (await row.locator('td').nth(1).innerText()).trim();
    users.set(email, { href, name: (await link.innerText()).trim() });
  }
  return users;
}

/** The rows of the audit table as plain text cells. */
async function auditRows(visitor) {
  const rows = visitor.main.locator('table.admin-audit-table tbody tr');
  const result = [];
  for (const row of await rows.all()) {
    const cells = trimmed(await row.locator('td').allInnerTexts());
    const targetLink = row.locator('td').nth(3).getByRole('link');
    result.push({
      actor: cells[1], action: cells[2], target: cells[3], summary: cells[4],
      targetHref: (await targetLink.count()) ? await targetLink.getAttribute('href') : null,
    });
  }
  return result;
}

// --- 1. Every role logs in and out -----------------------------------------------

describe('logging in and out as each demo role', () => {
  for (const user of DEMO_USERS) {
    // The applicant does it by keyboard only.
    const keyboard = user.key === 'applicant';
    test(`${user.key}: ${keyboard ? 'by keyboard: ' : ''}profile, name and role in the header, menu ${user.nav.join(', ')}`,
      { timeout: TEST_TIMEOUT_MS }, async () => {
        const visitor = await Visitor.open(`role-${user.key}`);
        try {
          await logIn(visitor, user, { keyboard });
          assert.equal(await h1Text(visitor.page), 'Profil');
          await expectLoggedInHeader(visitor, user);
          assert.equal(await visitor.menu.getByRole('link', { name: 'Profil' }).getAttribute('aria-current'), 'page',
            `${user.key}: the menu should mark "Profil" as the current page`);
          const mainText = await visitor.main.innerText();
          assert.ok(mainText.includes(user.name), `${user.key}: the profile should show the name`);
          assert.ok(mainText.includes(user.email), `${user.key}: the profile should show the e-mail address`);
          assert.ok(mainText.includes('Bærum kommune'), `${user.key}: the profile should show the organisation`);
          assert.ok(mainText.includes(user.role), `${user.key}: the profile should list the role`);
          await logOut(visitor, { keyboard });
        } finally {
          await visitor.close();
        }
      });
  }
});

// --- 2. Wrong password -------------------------------------------------------------

test('a wrong password shows an alert, keeps the e-mail address and answers 400', { timeout: TEST_TIMEOUT_MS }, async () => {
  const visitor = await Visitor.open('wrong-password');
  const user = demoUser('reviewer2');
  try {
    await visitor.goto('/login', { shot: 'wrong-password-login' });
    const { page, main } = visitor;
    await main.getByLabel('E-postadresse').fill(user.email);
    await main.getByLabel('Passord').fill('not-the-right-password');
    await visitor.submit(() => main.getByRole('button', { name: 'Logg inn' }).click(),
      { status: 400, allowAt: '/login', shot: 'wrong-password-error' });
    assert.equal(pathOf(page.url()), '/login', 'the form is shown again on /login');
    const alert = main.getByRole('alert');
    assert.equal(await alert.count(), 1, 'one alert');
    assert.equal((await alert.innerText()).trim(), WRONG_CREDENTIALS);
    assert.equal(await main.getByLabel('E-postadresse').inputValue(), user.email, 'the e-mail address is kept');
    assert.equal(await main.getByLabel('Passord').inputValue(), '', 'the password is not sent back');
    assert.equal(await main.getByLabel('E-postadresse').getAttribute('aria-invalid'), 'true');
    assert.equal(await main.getByLabel('Passord').getAttribute('aria-invalid'), 'true');
    await expectLoggedOutHeader(visitor);

    // From the error state, the right password works.
    await main.getByLabel('Passord').fill(spire.demoPassword);
    await visitor.submit(() => main.getByRole('button', { name: 'Logg inn' }).click(),
      { shot: 'wrong-password-then-right' });
    assert.equal(pathOf(page.url()), '/profile');
    await expectLoggedInHeader(visitor, user);
  } finally {
    await visitor.close();
  }
});

// --- 3. Administrator ----------------------------------------------------------------

describe('administrator: users, roles, units and the audit log', () => {
  const admin = demoUser('admin');
  const newUser = {
    name: 'Kari Nordmann',
    email: 'kari.nordmann@baerum.example',
    password: 'e2e-kari-password-1',
  };
  const newUnit = 'Testbarnehagen e2e';
  let visitor;
  let newUserPath; // /admin/users/{id}
  let newUserId;

  before(async () => {
    visitor = await Visitor.open('admin');
    await logIn(visitor, admin);
  });
  after(async () => {
    await visitor?.close();
  });

  test('the user list shows the organisation\'s users and searches', { timeout: TEST_TIMEOUT_MS }, async () => {
    await visitor.submit(() => visitor.menu.getByRole('link', { name: 'Brukere' }).click(), { shot: 'admin-users' });
    assert.equal(pathOf(visitor.page.url()), '/admin/users');
    assert.equal(await h1Text(visitor.page), 'Brukere');
    const users = await listedUsers(visitor);
    for (const user of DEMO_USERS) {
      assert.equal(users.get(user.email)?.name, user.name, `/admin/users should list ${user.email}`);
    }
    for (const email of users.keys()) {
      assert.ok(email.endsWith('@baerum.example'), `/admin/users lists ${email}, not of Bærum`);
    }
    assert.equal(await visitor.menu.getByRole('link', { name: 'Brukere' }).getAttribute('aria-current'), 'page');

    const search = visitor.main.getByRole('search');
    await search.getByLabel('Søk etter navn eller e-postadresse').fill('Ingrid');
    await visitor.submit(() => search.getByRole('button', { name: 'Søk' }).click(), { shot: 'admin-users-search' });
    assert.equal(new URL(visitor.page.url()).searchParams.get('q'), 'Ingrid');
    assert.deepEqual([...(await listedUsers(visitor)).keys()], ['applicant@baerum.example']);
    assert.ok((await visitor.main.innerText()).includes('Antall brukere: 1'));

    await search.getByLabel('Søk etter navn eller e-postadresse').fill('finnes-ikke-xyz');
    await visitor.submit(() => search.getByRole('button', { name: 'Søk' }).click(), { shot: 'admin-users-search-empty' });
    assert.equal((await listedUsers(visitor)).size, 0);
    assert.ok((await visitor.main.innerText()).includes('Ingen brukere funnet.'),
      `an empty search should say so: ${await visitor.main.innerText()}`);
  });

  test('a new user: the empty form shows what is missing', { timeout: TEST_TIMEOUT_MS }, async () => {
    await visitor.goto('/admin/users', { shot: 'admin-users-again' });
    await visitor.submit(() => visitor.main.getByRole('link', { name: 'Ny bruker' }).click(), { shot: 'admin-user-new' });
    assert.equal(pathOf(visitor.page.url()), '/admin/users/new');
    assert.equal(await h1Text(visitor.page), 'Ny bruker');

    const { main } = visitor;
    await visitor.submit(() => main.getByRole('button', { name: 'Legg til bruker' }).click(),
      { status: 422, allowAt: '/admin/users', shot: 'admin-user-new-errors' });
    // The error summary, with links to the fields.
    const summary = main.locator('.ds-error-summary');
    assert.equal(await summary.count(), 1, 'an error summary');
    // It takes the focus, so that screen readers read it first (autofocus).
    assert.ok(await summary.evaluate((el) => el === document.activeElement),
      `the error summary should have the focus, not ${await visitor.page.evaluate(() => document.activeElement?.outerHTML.slice(0, 80))}`);
    assert.equal((await summary.getByRole('heading').innerText()).trim(), 'For å gå videre må du rette opp følgende:');
    const summaryLinks = await summary.getByRole('link').all();
    const targets = [];
    for (const link of summaryLinks) targets.push({ text: (await link.innerText()).trim(), href: await link.getAttribute('href') });
    assert.deepEqual(targets.map((t) => t.href).sort(), ['#email', '#name'], `summary links: ${JSON.stringify(targets)}`);
    assert.ok(targets.some((t) => t.href === '#name' && t.text === 'Skriv inn navnet.'), JSON.stringify(targets));
    assert.ok(targets.some((t) => t.href === '#email' && t.text === 'Skriv inn e-postadressen.'), JSON.stringify(targets));
    // The messages next to the fields, tied to them.
    for (const [label, id, message] of [['Navn', 'name', 'Skriv inn navnet.'], ['E-postadresse', 'email', 'Skriv inn e-postadressen.']]) {
      const input = main.getByLabel(label, { exact: true });
      assert.equal(await input.getAttribute('aria-invalid'), 'true', `${label}: aria-invalid`);
      const describedBy = (await input.getAttribute('aria-describedby')) ?? '';
      assert.ok(describedBy.split(/\s+/).includes(`${id}-error`), `${label}: aria-describedby=${describedBy}`);
      assert.equal((await main.locator(`#${id}-error`).innerText()).trim(), message, `${label}: message`);
    }
    assert.equal(await main.getByLabel('Telefon (valgfritt)').getAttribute('aria-invalid'), null);

    // A link in the summary moves the focus to its field.
    await summary.getByRole('link', { name: 'Skriv inn navnet.' }).click();
    assert.ok(await main.locator('#name').evaluate((el) => el === document.activeElement),
      'the summary link should put the focus in the name field');
  });

  test('a new user: filled in, it is added and its page opens', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { main, page } = visitor;
    await main.getByLabel('Navn', { exact: true }).fill(newUser.name);
    await main.getByLabel('E-postadresse').fill(newUser.email);
    await main.getByLabel('Første passord (valgfritt)').fill(newUser.password);
    await visitor.submit(() => main.getByRole('button', { name: 'Legg til bruker' }).click(), { shot: 'admin-user-created' });
    const url = new URL(page.url());
    assert.match(url.pathname, /^\/admin\/users\/\d+$/, `after adding a user: ${page.url()}`);
    assert.equal(url.searchParams.get('done'), 'created');
    newUserPath = url.pathname;
    newUserId = url.pathname.split('/').pop();
    assert.equal(await h1Text(page), newUser.name);
    assert.equal((await main.getByRole('status').innerText()).trim(),
      'Brukeren er lagt til. Du kan gi brukeren roller nedenfor.');
    assert.ok((await main.innerText()).includes(newUser.email));
    assert.ok((await main.innerText()).includes('Denne brukeren har ingen roller ennå.'), 'a new user has no roles');
  });

  test('a role is given on the user\'s page', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { main, page } = visitor;
    await visitor.goto(newUserPath, { shot: 'admin-user-page' });
    const form = main.locator('form[action$="/grants"]');
    await form.getByLabel('Rolle').selectOption({ label: 'Søker' });
    const unitOption = form.locator('#unit_id option', { hasText: 'Bekkestua barnehage' });
    assert.equal(await unitOption.count(), 1, 'Bekkestua barnehage is offered as a unit');
    const unitPath = (await unitOption.innerText()).trim();
    await form.getByLabel('Enhet').selectOption(await unitOption.getAttribute('value'));
    await visitor.submit(() => form.getByRole('button', { name: 'Gi rolle' }).click(), { shot: 'admin-user-granted' });
    assert.equal(pathOf(page.url()), newUserPath);
    assert.equal(new URL(page.url()).searchParams.get('done'), 'granted');
    assert.equal((await main.getByRole('status').innerText()).trim(), 'Rollen er gitt.');
    const rows = await main.locator('table tbody tr').all();
    const grants = [];
    for (const row of rows) grants.push(trimmed(await row.locator('td').allInnerTexts()).slice(0, 2));
    assert.deepEqual(grants, [['Søker', unitPath]], 'the roles table');
    assert.match(unitPath, /Bekkestua barnehage$/);
  });

  test('the unit tree, and a unit added to it', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { main, page } = visitor;
    await visitor.submit(() => visitor.menu.getByRole('link', { name: 'Enheter' }).click(), { shot: 'admin-units' });
    assert.equal(pathOf(visitor.page.url()), '/admin/units');
    assert.equal(await h1Text(page), 'Enheter');
    const tree = main.locator('.unit-tree');
    const unitNames = trimmed(await tree.locator('.unit-tree__name').allInnerTexts());
    for (const name of ['Oppvekst', 'Barnehager', 'Bekkestua barnehage', 'Helse og omsorg', 'NAV Bærum']) {
      assert.equal(unitNames.filter((n) => n === name).length, 1, `the tree shows ${name} once`);
    }
    assert.ok(!unitNames.includes('Hvalstad skole'), 'no units of Asker');

    // Sent with nothing filled in: the error state.
    const form = main.locator('form[action="/admin/units"]');
    await visitor.submit(() => form.getByRole('button', { name: 'Legg til enhet' }).click(),
      { status: 422, allowAt: '/admin/units', shot: 'admin-units-errors' });
    assert.equal(await main.locator('.ds-error-summary').count(), 1, 'an error summary');
    assert.ok(await main.locator('.ds-error-summary').evaluate((el) => el === document.activeElement),
      'the error summary should have the focus');
    // Nothing filled in: no name, and a service unit (the default kind) needs a unit above it.
    const summaryLinks = [];
    for (const link of await main.locator('.ds-error-summary').getByRole('link').all()) {
      summaryLinks.push([(await link.innerText()).trim(), await link.getAttribute('href')]);
    }
    assert.deepEqual(summaryLinks, [
      ['Skriv inn navnet på enheten.', '#unit-name'],
      ['Velg enheten denne hører til.', '#unit-parent'],
    ]);
    for (const [id, message] of [['unit-name', 'Skriv inn navnet på enheten.'], ['unit-parent', 'Velg enheten denne hører til.']]) {
      assert.equal(await main.locator(`#${id}`).getAttribute('aria-invalid'), 'true', `#${id} aria-invalid`);
      assert.ok(((await main.locator(`#${id}`).getAttribute('aria-describedby')) ?? '').split(/\s+/).includes(`${id}-error`),
        `#${id} should be described by its message`);
      assert.equal((await main.locator(`#${id}-error`).innerText()).trim(), message);
    }

    await main.getByLabel('Navn', { exact: true }).fill(newUnit);
    await main.getByLabel('Type').selectOption({ label: 'Tjenestested' });
    await main.getByLabel('Hører til').selectOption({ label: 'Oppvekst › Barnehager' });
    await visitor.submit(() => main.getByRole('button', { name: 'Legg til enhet' }).click(), { shot: 'admin-units-added' });
    assert.equal(pathOf(page.url()), '/admin/units');
    assert.equal(new URL(page.url()).searchParams.get('done'), 'created');
    assert.equal((await main.getByRole('status').innerText()).trim(), 'Enheten er lagt til.');
    const namesAfter = trimmed(await tree.locator('.unit-tree__name').allInnerTexts());
    assert.equal(namesAfter.filter((n) => n === newUnit).length, 1, `the tree shows ${newUnit} once`);
    // Under Barnehager (the <li> of Barnehager holds its service units).
    const barnehager = tree.locator('li').filter({ has: page.locator(':scope > .unit-tree__item .unit-tree__name', { hasText: /^Barnehager$/ }) });
    assert.equal(await barnehager.count(), 1, 'one Barnehager in the tree');
    assert.ok(trimmed(await barnehager.locator('li .unit-tree__name').allInnerTexts()).includes(newUnit),
      `${newUnit} should be under Barnehager`);
  });

  test('the audit log shows what was just done, and filters', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { main, page } = visitor;
    await visitor.submit(() => visitor.menu.getByRole('link', { name: 'Revisjonslogg' }).click(), { shot: 'admin-audit' });
    assert.equal(pathOf(visitor.page.url()), '/admin/audit');
    assert.equal(await h1Text(page), 'Revisjonslogg');
    const rows = await auditRows(visitor);
    const byAdmin = (action) => rows.filter((r) => r.action === action && r.actor === admin.name);
    const created = byAdmin('user.create').filter((r) => r.target === `user ${newUserId}`);
    assert.equal(created.length, 1, `one user.create of user ${newUserId} by ${admin.name}: ${JSON.stringify(rows.slice(0, 8))}`);
    assert.equal(created[0].targetHref, newUserPath, 'the target links to the user');
    assert.equal(byAdmin('grant.add').length >= 1, true, 'grant.add by the administrator');
    assert.equal(byAdmin('unit.create').length, 1, 'unit.create by the administrator');
    assert.ok(rows.some((r) => r.action === 'login.success' && r.actor === admin.name), 'the administrator\'s login');
    // Newest first: the unit came last.
    assert.equal(rows[0].action, 'unit.create', `newest first: ${JSON.stringify(rows.slice(0, 3))}`);

    // Filter on the new user.
    await main.getByLabel('Måltype').fill('user');
    await main.getByLabel('Målnummer').fill(newUserId);
    await visitor.submit(() => main.getByRole('button', { name: 'Vis oppføringer' }).click(), { shot: 'admin-audit-filtered' });
    assert.equal(new URL(page.url()).searchParams.get('target_id'), newUserId);
    const filtered = await auditRows(visitor);
    assert.ok(filtered.length >= 2, `entries about user ${newUserId}: ${JSON.stringify(filtered)}`);
    for (const row of filtered) assert.equal(row.target, `user ${newUserId}`, JSON.stringify(row));
    assert.deepEqual([...new Set(filtered.map((r) => r.action))].sort(), ['grant.add', 'user.create']);
  });

  test('the new user logs in with the password the administrator gave and has the role', { timeout: TEST_TIMEOUT_MS }, async () => {
    const other = await Visitor.open('new-user');
    try {
      await other.goto('/login', { shot: 'new-user-login' });
      await other.main.getByLabel('E-postadresse').fill(newUser.email);
      await other.main.getByLabel('Passord').fill(newUser.password);
      await other.submit(() => other.main.getByRole('button', { name: 'Logg inn' }).click(), { shot: 'new-user-profile' });
      assert.equal(pathOf(other.page.url()), '/profile');
      await expectLoggedInHeader(other, { ...newUser, role: 'Søker', nav: NAV_APPLICANT });
    } finally {
      await other.close();
    }
  });
});

// --- 4. Auditor and applicant ----------------------------------------------------------

test('auditor: reads the audit log, users and units, but gets no forms to change them', { timeout: TEST_TIMEOUT_MS }, async () => {
  const auditor = demoUser('auditor');
  const visitor = await Visitor.open('auditor');
  const { main, page } = visitor;
  try {
    // Straight to the audit log: the login form brings the auditor there.
    await logIn(visitor, auditor, { from: '/admin/audit', landing: '/admin/audit' });
    assert.equal(await h1Text(page), 'Revisjonslogg');
    assert.ok((await auditRows(visitor)).some((r) => r.action === 'login.success' && r.actor === auditor.name),
      'the auditor\'s own login is in the log');
    await expectLoggedInHeader(visitor, auditor);

    await visitor.goto('/admin/users', { shot: 'auditor-users' });
    const users = await listedUsers(visitor);
    assert.ok(users.size >= DEMO_USERS.length, 'the auditor sees the users');
    assert.equal(await main.getByRole('link', { name: 'Ny bruker' }).count(), 0, 'no "Ny bruker" for an auditor');
    assert.equal(await main.locator('a[href="/admin/users/new"]').count(), 0);
    assert.equal(await main.locator('form[method="post"]').count(), 0, 'no forms that change anything on /admin/users');

    const applicantPath = users.get('applicant@baerum.example').href;
    await visitor.goto(applicantPath, { shot: 'auditor-user-page' });
    assert.equal(await h1Text(page), 'Ingrid Hansen');
    assert.ok((await main.innerText()).includes('Søker'), 'the auditor sees the roles');
    assert.equal(await main.locator('form[method="post"]').count(), 0,
      'no forms on a user\'s page for an auditor (give role, remove, deactivate)');
    assert.equal(await main.getByRole('button').count(), 0, 'no buttons on a user\'s page for an auditor');

    await visitor.goto('/admin/units', { shot: 'auditor-units' });
    assert.ok((await main.innerText()).includes('Bare administratorer kan endre enhetene.'));
    assert.ok(await main.getByText('Bekkestua barnehage', { exact: true }).count() > 0, 'the auditor sees the unit tree');
    assert.equal(await main.locator('form[method="post"]').count(), 0, 'no forms that change anything on /admin/units');
    assert.equal(await main.getByRole('link', { name: /^Endre/ }).count(), 0, 'no "Endre" links for an auditor');

    await visitor.goto('/admin/users/new', { status: 403, shot: 'auditor-user-new-403' });
    assert.equal(await h1Text(page), 'Ingen tilgang');
    assert.equal((await main.locator('h1 + p').innerText()).trim(), 'Bare administratorer kan legge til eller endre brukere.');
  } finally {
    await visitor.close();
  }
});

test('applicant: the administration pages answer 403 with an explanation in Norwegian', { timeout: TEST_TIMEOUT_MS }, async () => {
  const visitor = await Visitor.open('applicant-403');
  const { main, page } = visitor;
  try {
    await logIn(visitor, demoUser('applicant'));
    // Why, in Norwegian (the policy's reasons, src/identity/policy.cpp).
    const explanations = {
      '/admin/users': 'Bare administratorer, revisorer og fondsforvaltere kan se brukerne.',
      '/admin/units': 'Bare administratorer, revisorer og fondsforvaltere kan se enhetene.',
      '/admin/audit': 'Bare revisorer og administratorer kan lese revisjonsloggen.',
    };
    for (const path of Object.keys(explanations)) {
      await visitor.goto(path, { status: 403, shot: `applicant-403-${path.split('/').pop()}` });
      assert.equal(await h1Text(page), 'Ingen tilgang', `${path}: heading`);
      const text = (await main.innerText()).replace(/\s+/g, ' ');
      assert.ok(text.includes('Feil 403'), `${path}: the status is named: ${text}`);
      const explanation = (await main.locator('h1 + p').innerText()).trim();
      assert.equal(explanation, explanations[path], `${path}: the explanation under the heading`);
      assert.ok(!/\b(not allowed|access denied|forbidden|you do not)\b/i.test(text), `${path}: English text on the page: ${text}`);
      assert.equal(await main.getByRole('link', { name: 'Gå til forsiden' }).count(), 1, `${path}: a way back`);
      assert.equal(await main.locator('table').count(), 0, `${path}: nothing of the list is shown`);
      await expectLoggedInHeader(visitor, demoUser('applicant'));
    }
  } finally {
    await visitor.close();
  }
});

// --- 5. Tenant isolation -----------------------------------------------------------------

test('an Asker administrator cannot open a Bærum user: 404', { timeout: TEST_TIMEOUT_MS }, async () => {
  // The Bærum users' pages, as Bærum's administrator sees them.
  const baerum = await Visitor.open('tenant-baerum-admin');
  let baerumUsers;
  try {
    await logIn(baerum, demoUser('admin'));
    await baerum.goto('/admin/users', { shot: 'tenant-baerum-users' });
    baerumUsers = await listedUsers(baerum);
  } finally {
    await baerum.close();
  }
  const ingrid = baerumUsers.get('applicant@baerum.example');
  assert.ok(ingrid, 'Bærum\'s user list has the applicant');
  const ingridId = ingrid.href.split('/').pop();

  const visitor = await Visitor.open('tenant-asker-admin');
  const { main, page } = visitor;
  try {
    await logIn(visitor, ASKER_ADMIN);
    await expectLoggedInHeader(visitor, ASKER_ADMIN);
    await visitor.goto('/admin/users', { shot: 'tenant-asker-users' });
    const askerUsers = await listedUsers(visitor);
    assert.ok(askerUsers.has('admin@asker.example'), 'Asker sees its own users');
    for (const email of askerUsers.keys()) {
      assert.ok(email.endsWith('@asker.example'), `Asker's user list shows ${email}`);
    }

    for (const [email, { href }] of baerumUsers) {
      const shot = email === 'applicant@baerum.example' ? 'tenant-asker-opens-baerum-user-404' : null;
      visitor.allow(href, 404);
      const response = await page.goto(visitor.url(href), { waitUntil: 'load' });
      assert.equal(response.status(), 404, `Asker's administrator opening ${href} (${email})`);
      assert.equal(await h1Text(page), 'Fant ikke siden', `${href}: the 404 page`);
      assert.ok(!(await main.innerText()).includes(email), `${href}: the page must not show ${email}`);
      if (shot) await visitor.check(shot);
    }

    // Searching for Bærum's users finds nothing, and their audit entries are not shown.
    await visitor.goto('/admin/users?q=baerum', { shot: 'tenant-asker-search-baerum' });
    assert.equal((await listedUsers(visitor)).size, 0, 'Asker finds no Bærum users');
    await visitor.goto(`/admin/audit?target_type=user&target_id=${ingridId}`, { shot: 'tenant-asker-audit-baerum-user' });
    const rows = await auditRows(visitor);
    assert.ok(rows.every((r) => r.actor !== 'Ingrid Hansen' && r.actor !== 'Jonas Bakke'),
      `Asker's audit log shows Bærum's entries: ${JSON.stringify(rows)}`);
  } finally {
    await visitor.close();
  }
});

// --- 6. Without JavaScript -----------------------------------------------------------------

test('without JavaScript, logging in and out still work', { timeout: TEST_TIMEOUT_MS }, async () => {
  const user = demoUser('decision-maker');
  const visitor = await Visitor.open('nojs', { javaScriptEnabled: false });
  try {
    await logIn(visitor, user);
    await expectLoggedInHeader(visitor, user);
    await logOut(visitor);
  } finally {
    await visitor.close();
  }
});
