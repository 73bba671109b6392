// Applications in the browser, on the demo data (`spire demo`): the
// applicant starts an application from an open call on "Mine søknader",
// makes a mistake on the details page (message next to the field, typed
// input kept), answers the call's questions, fills in the budget and the
// financing plan, attaches a PNG, reads the submission check list and sends
// the application for endorsement; the unit leader finds it in the
// endorsement queue and endorses it, which submits it (receipt with a
// SPIRE-YYYY-NNNN reference); the fund manager finds it in the staff list,
// sorts it, searches for it with another form of a word (Norwegian
// stemming) and downloads the list. Every page state gets axe (WCAG 2.1 AA)
// and a screenshot in $SPIRE_ARTIFACTS (applications-*.png).
//
// Run: ctest --test-dir build/<dir> -R e2e
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { demoSuite } from './support/suite.mjs';
import { pathOf } from './support/visitor.mjs';

const TEST_TIMEOUT_MS = 180_000;
const CALL = 'Innovasjonsmidler vår 2027';
const TITLE = 'Digital lesekasse for småskolen';
const APPLICANT = { email: 'applicant@baerum.example' };
const UNIT_LEADER = { email: 'unit-leader@baerum.example' };
const FUND_MANAGER = { email: 'fund-manager@baerum.example' };
// A 1×1 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64');

const { Visitor, logIn } = demoSuite('applications');

async function openTab(visitor, name, shot) {
  const tabs = visitor.page.getByRole('navigation', { name: 'Søknadssider' });
  await visitor.submit(() => tabs.getByRole('link', { name, exact: true }).click(), { shot });
  const current = tabs.locator('[aria-current="page"]');
  assert.equal((await current.innerText()).trim(), name);
}

test('the applicant starts an application, fills it in and attaches a file', { timeout: TEST_TIMEOUT_MS }, async () => {
  const visitor = await Visitor.open('applicant');
  try {
    await logIn(visitor, APPLICANT);
    await visitor.submit(() => visitor.menu.getByRole('link', { name: 'Mine søknader' }).click(),
      { shot: 'applicant-my' });
    assert.equal(pathOf(visitor.page.url()), '/my');
    await visitor.submit(() => visitor.main.getByRole('link', { name: CALL }).click(),
      { shot: 'applicant-new' });
    assert.equal(pathOf(visitor.page.url()), '/applications/new');
    const { page } = visitor;
    await page.getByLabel('Prosjektets tittel').fill(TITLE);
    if (await page.locator('select#unit_id').count()) {
      await page.locator('select#unit_id').selectOption({ index: 1 });
    }
    await visitor.submit(() => visitor.main.getByRole('button', { name: 'Start søknaden' }).click(),
      { shot: 'applicant-details' });
    const application = pathOf(page.url());
    assert.match(application, /^\/applications\/\d+$/);
    assert.match(await visitor.main.locator('[role="status"]').innerText(), /Søknaden er opprettet/);

    // A start year that is not a year: 422, the message next to the field,
    // everything typed kept.
    await page.getByLabel('Sammendrag').fill('Elevene låner lesebrett med lydbøker.');
    await page.getByLabel('Startår').fill('i år');
    await visitor.submit(() => visitor.main.getByRole('button', { name: 'Lagre' }).click(),
      { status: 422, allowAt: application, shot: 'applicant-details-error' });
    await assert.doesNotReject(page.locator('#start_year-error').waitFor());
    assert.equal(await page.getByLabel('Startår').inputValue(), 'i år');
    assert.equal(await page.getByLabel('Sammendrag').inputValue(), 'Elevene låner lesebrett med lydbøker.');
    await page.getByLabel('Startår').fill('2027');
    await page.getByLabel('Varighet i år').fill('1');
    await visitor.submit(() => visitor.main.getByRole('button', { name: 'Lagre' }).click(),
      { shot: 'applicant-details-saved' });
    assert.match(await visitor.main.locator('[role="status"]').innerText(), /Søknaden er lagret/);

    await openTab(visitor, 'Budsjett', 'applicant-budget');
    await page.locator('#budget_2027_personnel').fill('120 000');
    await page.locator('#budget_2027_equipment').fill('30 000');
    await visitor.submit(() => visitor.main.getByRole('button', { name: 'Lagre' }).click(),
      { shot: 'applicant-budget-saved' });
    assert.match(await visitor.main.locator('table').innerText(), /150\s000\skr/);

    await openTab(visitor, 'Finansiering', 'applicant-financing');
    await page.locator('#financing_0_source').selectOption('fund');
    await page.locator('#financing_0_cash').fill('150 000');
    await visitor.submit(() => visitor.main.getByRole('button', { name: 'Lagre' }).click(),
      { shot: 'applicant-financing-saved' });

    await openTab(visitor, 'Partnere', 'applicant-partners');
    await openTab(visitor, 'Vedlegg', 'applicant-attachments');
    await page.locator('#file').setInputFiles({ name: 'lesekasse.png', mimeType: 'image/png', buffer: PNG });
    await visitor.submit(() => visitor.main.getByRole('button', { name: 'Last opp' }).click(),
      { shot: 'applicant-attachments-uploaded' });
    assert.ok(await visitor.main.getByRole('link', { name: 'lesekasse.png' }).count());

    // The call's own questions (required: the need, and the target group).
    await openTab(visitor, 'Søknad', 'applicant-details-again');
    await visitor.main.getByLabel('Behov og problemstilling').fill(
      'Mange elever på småskolen leser for lite hjemme. Lydbøker på lesebrett kan hjelpe.');
    await visitor.main.getByRole('group', { name: /Målgruppe/ }).getByLabel('Barn og unge').check();
    await visitor.submit(() => visitor.main.getByRole('button', { name: 'Lagre' }).click(),
      { shot: 'applicant-answers-saved' });
    assert.match(await visitor.main.locator('[role="status"]').innerText(), /Søknaden er lagret/);

    await openTab(visitor, 'Historikk', 'applicant-history');
    await openTab(visitor, 'Send inn', 'applicant-submit');
    await visitor.main.getByRole('heading', { name: 'Kontroller før innsending' }).waitFor();
    assert.equal(await visitor.main.locator('.submit-check').count(), 0,
      `nothing should be missing: ${await visitor.main.locator('.submit-check').allInnerTexts()}`);
    await visitor.submit(() => visitor.main.getByRole('button', { name: 'Send til forankring' }).click(),
      { shot: 'applicant-sent-for-endorsement' });
    assert.match(await visitor.main.innerText(), /Venter på forankring/);
    // Nothing can be changed while the leader decides.
    await visitor.goto(`${application}/budget`, { shot: 'applicant-budget-read-only' });
    assert.equal(await visitor.main.locator('#budget_2027_personnel').count(), 0);
  } finally {
    await visitor.close();
  }
});

test('the unit leader endorses the application, which submits it', { timeout: TEST_TIMEOUT_MS }, async () => {
  const visitor = await Visitor.open('leader');
  try {
    await logIn(visitor, UNIT_LEADER);
    await visitor.submit(() => visitor.menu.getByRole('link', { name: 'Forankring' }).click(),
      { shot: 'leader-endorsements' });
    assert.equal(pathOf(visitor.page.url()), '/my/endorsements');
    const row = visitor.main.getByRole('row', { name: new RegExp(TITLE) });
    assert.equal(await row.count(), 1);
    await visitor.submit(() => row.getByRole('link').first().click(), { shot: 'leader-application' });
    const application = pathOf(visitor.page.url()).replace(/\/submit$/, '');
    await visitor.goto(`${application}/submit`, { shot: 'leader-endorse' });
    await visitor.submit(() => visitor.main.getByRole('button', { name: 'Forankre og send inn' }).click(),
      { shot: 'leader-endorsed' });
    await visitor.goto(`${application}/receipt`, { shot: 'leader-receipt' });
    assert.match(await visitor.main.innerText(), /SPIRE-\d{4}-\d{4}/);
  } finally {
    await visitor.close();
  }
});

test('the fund manager sorts and searches the list of applications', { timeout: TEST_TIMEOUT_MS }, async () => {
  const visitor = await Visitor.open('manager');
  try {
    await logIn(visitor, FUND_MANAGER);
    await visitor.submit(() => visitor.menu.getByRole('link', { name: 'Søknader' }).click(),
      { shot: 'manager-list' });
    assert.equal(pathOf(visitor.page.url()), '/applications');
    const { page } = visitor;
    // Another form of a word of the title: "lesekassene" finds "lesekasse".
    await page.getByLabel('Søk', { exact: true }).fill('lesekassene');
    await visitor.submit(() => visitor.main.getByRole('button', { name: 'Vis' }).click(),
      { shot: 'manager-search' });
    assert.match(page.url(), /q=lesekassene/);
    assert.equal(await visitor.main.getByRole('row', { name: new RegExp(TITLE) }).count(), 1);
    const csv = await page.request.get(visitor.url('/applications/export.csv?q=lesekassene'));
    assert.equal(csv.status(), 200);
    const text = (await csv.body()).toString('utf8');
    assert.ok(text.startsWith('\ufeff'), 'the CSV starts with a byte order mark');
    assert.match(text, new RegExp(TITLE));
    await visitor.submit(() => visitor.main.getByRole('link', { name: TITLE }).click(),
      { shot: 'manager-application' });
    await openTab(visitor, 'Historikk', 'manager-history');
    assert.match(await visitor.main.innerText(), /Sendt inn/);
  } finally {
    await visitor.close();
  }
});
