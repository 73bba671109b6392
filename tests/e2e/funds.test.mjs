// Funds and the budget ledger in the browser, on the demo data (`spire
// demo`): the fund manager finds the fund, reads the budget (table and
// chart), drills down into the ledger, filters it, posts by hand (first with
// mistakes, then right), reverses an entry, sets a frame without JavaScript,
// and opens the programme and settings pages; a decision maker sees the
// budget but not the ledger. Every page state gets axe (WCAG 2.1 AA) and a
// screenshot in $SPIRE_ARTIFACTS (funds-*.png).
//
// Run: ctest --test-dir build/<dir> -R e2e
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { demoSuite } from './support/suite.mjs';
import { pathOf, trimmed } from './support/visitor.mjs';

const TEST_TIMEOUT_MS = 180_000;
const FUND = 'Forsknings- og innovasjonsfond';
const FUND_MANAGER = { email: 'fund-manager@baerum.example' };
const DECISION_MAKER = { email: 'decision-maker@baerum.example' };

const { Visitor, logIn } = demoSuite('funds');

/** The fund manager on the fund's page, reached from the main menu. */
async function openFund(visitor) {
  await visitor.submit(() => visitor.menu.getByRole('link', { name: 'Fond' }).click(),
    { shot: `${visitor.label}-funds` });
  assert.equal(pathOf(visitor.page.url()), '/funds');
  await visitor.submit(() => visitor.main.getByRole('link', { name: FUND }).click(),
    { shot: `${visitor.label}-fund` });
  assert.match(pathOf(visitor.page.url()), /^\/funds\/\d+$/);
  return pathOf(visitor.page.url());
}

test('the fund manager reads the budget and drills down into the ledger', { timeout: TEST_TIMEOUT_MS }, async () => {
  const visitor = await Visitor.open('manager');
  try {
    await logIn(visitor, FUND_MANAGER);
    const fund = await openFund(visitor);
    const tabs = visitor.page.getByRole('navigation', { name: 'Sider for fondet' });
    await visitor.submit(() => tabs.getByRole('link', { name: 'Budsjett' }).click(), { shot: 'manager-budget' });
    assert.equal(pathOf(visitor.page.url()), `${fund}/budget`);
    // The chart is an image with a name and a description; the tables have the numbers.
    const chart = visitor.main.getByRole('img', { name: 'Budsjett per år' });
    assert.equal(await chart.count(), 1);
    assert.match(await chart.locator('desc').textContent(), /2017: Budsjett [\d\s]+kr, Utbetalt [\d\s]+kr/);
    const table2017 = visitor.main.getByRole('table', { name: 'Budsjett 2017' });
    const risk = table2017.getByRole('row', { name: /Intern risikokapital/ });
    assert.match((await risk.innerText()).replace(/\s+/g, ' '), /3 000 000 kr/);
    // Drill down: the frame of one cell leads to exactly the entries behind it.
    await visitor.submit(() => risk.getByRole('link', { name: /^3.000.000.kr$/ }).first().click(),
      { shot: 'manager-drilldown' });
    const url = new URL(visitor.page.url());
    assert.equal(url.pathname, `${fund}/ledger`);
    assert.equal(url.searchParams.get('year'), '2017');
    assert.equal(url.searchParams.get('kind'), 'frame');
    const rows = visitor.main.getByRole('table').locator('tbody tr');
    assert.equal(await rows.count(), 1);
    assert.match(await rows.first().innerText(), /Intern risikokapital/);

    // The filter form keeps what was chosen.
    await visitor.main.getByLabel('Type', { exact: true }).selectOption('commit');
    await visitor.submit(() => visitor.main.getByRole('button', { name: 'Vis' }).click(),
      { shot: 'manager-filtered' });
    assert.equal(new URL(visitor.page.url()).searchParams.get('kind'), 'commit');
    assert.equal(await visitor.main.getByLabel('År', { exact: true }).inputValue(), '2017');
  } finally {
    await visitor.close();
  }
});

test('a posting with mistakes is refused with the input kept, then posted and reversed', { timeout: TEST_TIMEOUT_MS }, async () => {
  const visitor = await Visitor.open('posting');
  try {
    await logIn(visitor, FUND_MANAGER);
    const fund = await openFund(visitor);
    await visitor.goto(`${fund}/ledger`, { shot: 'posting-ledger' });
    await visitor.submit(() => visitor.main.getByRole('link', { name: 'Ny postering' }).click(),
      { shot: 'posting-form' });
    const { main } = visitor;
    await main.getByLabel('Type', { exact: true }).selectOption('reserve');
    await main.getByLabel('Beløp i kroner').fill('12,345');
    await visitor.submit(() => main.getByRole('button', { name: 'Poster' }).click(),
      { status: 422, allowAt: `${fund}/postings`, shot: 'posting-errors' });
    const summary = main.locator('.ds-error-summary');
    assert.match(await summary.innerText(), /Bruk høyst to desimaler/);
    assert.match(await summary.innerText(), /Skriv et år/);
    assert.equal(await main.getByLabel('Beløp i kroner').inputValue(), '12,345');
    // The summary links to the fields.
    await summary.getByRole('link', { name: /Bruk høyst to desimaler/ }).click();
    assert.equal(await visitor.page.evaluate(() => document.activeElement.id), 'amount');

    await main.getByLabel('År', { exact: true }).selectOption('2020');
    await main.getByLabel('Program', { exact: true }).selectOption({ label: 'Sosiale entreprenører' });
    await main.getByLabel('Beløp i kroner').fill('125 000');
    await main.getByLabel('Begrunnelse', { exact: true }).fill('Egenandel til ekstern søknad');
    await visitor.submit(() => main.getByRole('button', { name: 'Poster' }).click(), { shot: 'posting-saved' });
    assert.equal(pathOf(visitor.page.url()), `${fund}/ledger`);
    assert.match(await main.getByRole('status').innerText(), /Posteringen er lagret/);
    const row = main.getByRole('row', { name: /Egenandel til ekstern søknad/ });
    assert.match((await row.innerText()).replace(/\s+/g, ' '), /125 000 kr/);

    await visitor.submit(() => row.getByRole('link', { name: /Reverser/ }).click(), { shot: 'posting-reverse' });
    await main.getByLabel('Hvorfor posteringen reverseres').fill('Feil program');
    await visitor.submit(() => main.getByRole('button', { name: 'Reverser posteringen' }).click(),
      { shot: 'posting-reversed' });
    assert.match(await main.getByRole('status').innerText(), /Posteringen er reversert/);
    assert.match(await main.getByRole('row', { name: /Egenandel til ekstern søknad/ }).innerText(),
      /Reversert av postering/);
  } finally {
    await visitor.close();
  }
});

test('a frame is set without JavaScript', { timeout: TEST_TIMEOUT_MS }, async () => {
  const visitor = await Visitor.open('nojs', { javaScriptEnabled: false });
  try {
    await logIn(visitor, FUND_MANAGER);
    const fund = await openFund(visitor);
    await visitor.goto(`${fund}/budget`, { shot: 'nojs-budget' });
    const form = visitor.main.locator('form[action$="/frames"]');
    await form.getByLabel('År', { exact: true }).selectOption('2019');
    await form.getByLabel('Program', { exact: true }).selectOption({ label: 'FoU-kontrakter' });
    await form.getByLabel('Ny ramme i kroner').fill('1 250 000');
    await form.getByLabel('Begrunnelse', { exact: true }).fill('Økt ramme etter budsjettvedtak');
    await visitor.submit(() => form.getByRole('button', { name: 'Sett ramme' }).click(), { shot: 'nojs-frame-set' });
    assert.equal(pathOf(visitor.page.url()), `${fund}/budget`);
    const row = visitor.main.getByRole('table', { name: 'Budsjett 2019' }).getByRole('row', { name: /FoU-kontrakter/ });
    assert.match((await row.innerText()).replace(/\s+/g, ' '), /1 250 000 kr/);
  } finally {
    await visitor.close();
  }
});

test('programmes and settings pages', { timeout: TEST_TIMEOUT_MS }, async () => {
  const visitor = await Visitor.open('settings');
  try {
    await logIn(visitor, FUND_MANAGER);
    const fund = await openFund(visitor);
    await visitor.goto(`${fund}/programmes`, { shot: 'settings-programmes' });
    const names = trimmed(await visitor.main.getByRole('table').locator('tbody tr th, tbody tr td:first-child').allInnerTexts());
    assert.deepEqual(names, ['Intern risikokapital', 'Forskningsmedfinansiering', 'Sosiale entreprenører', 'FoU-kontrakter']);
    await visitor.submit(() => visitor.main.getByRole('button', { name: 'Legg til program' }).click(),
      { status: 422, allowAt: `${fund}/programmes`, shot: 'settings-programme-error' });
    assert.match(await visitor.main.locator('.ds-error-summary').innerText(), /Skriv navnet på programmet/);
    await visitor.goto(`${fund}/edit`, { shot: 'settings-fund' });
    assert.equal(await visitor.main.getByLabel('Navn').inputValue(), FUND);
  } finally {
    await visitor.close();
  }
});

test('a decision maker sees the budget but not the ledger', { timeout: TEST_TIMEOUT_MS }, async () => {
  const visitor = await Visitor.open('decision-maker');
  try {
    await logIn(visitor, DECISION_MAKER);
    const fund = await openFund(visitor);
    await visitor.goto(`${fund}/budget`, { shot: 'decision-maker-budget' });
    assert.equal(await visitor.main.locator('form').count(), 0, 'no posting forms');
    await visitor.goto(`${fund}/ledger`, { status: 403, shot: 'decision-maker-ledger' });
  } finally {
    await visitor.close();
  }
});
