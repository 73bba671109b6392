// Calls for proposals in the browser, on the demo data (`spire demo`): the
// public list and one call, anonymously (no drafts, the deadline in Oslo
// time, "Fortløpende" for rolling calls); the fund manager reaches the
// fund's calls from the fund page and visits every management page
// (settings, criteria, one criterion, the form editor, one section, one
// field) and both catalogues, makes a mistake in a form (422, the typed
// input kept) and creates a draft call. Every page state gets axe (WCAG 2.1
// AA) and a screenshot in $SPIRE_ARTIFACTS (calls-*.png).
//
// Run: SPIRE_BIN=build/<dir>/spire SPIRE_ROOT=$PWD node --test tests/e2e/calls.test.mjs
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { demoSuite } from './support/suite.mjs';
import { pathOf } from './support/visitor.mjs';

const TEST_TIMEOUT_MS = 180_000;
const FUND = 'Forsknings- og innovasjonsfond';
const FUND_MANAGER = { email: 'fund-manager@baerum.example' };
const OPEN_CALL = 'Innovasjonsmidler vår 2027';
const ROLLING_CALL = 'Sosialt entreprenørskap – fortløpende';

const { Visitor, logIn } = demoSuite('calls');

test('anyone reads the published calls', { timeout: TEST_TIMEOUT_MS }, async () => {
  const visitor = await Visitor.open('public');
  try {
    // The front page lists the calls open now; the rolling call always is.
    await visitor.goto('/', { shot: 'front-page' });
    const open = visitor.main.getByRole('table', { name: 'Åpne utlysninger' });
    assert.match(await open.innerText(), new RegExp(ROLLING_CALL));
    assert.doesNotMatch(await open.innerText(), /Innovasjonsmidler vår 2018/);
    await visitor.goto('/calls', { shot: 'public-list' });
    const { main } = visitor;
    assert.equal(await main.getByRole('heading', { name: 'Bærum kommune' }).count(), 1);
    assert.equal(await main.getByRole('link', { name: 'Innovasjonsmidler vår 2018' }).count(), 0,
      'a closed call is not listed');
    const rolling = main.getByRole('row', { name: new RegExp(ROLLING_CALL) });
    assert.match(await rolling.innerText(), /Fortløpende/);

    await visitor.submit(() => main.getByRole('link', { name: OPEN_CALL }).click(),
      { shot: 'public-call' });
    assert.match(pathOf(visitor.page.url()), /^\/calls\/\d+$/);
    assert.match(await main.innerText(), /15\.03\.2027 kl\. 12:00/);
    assert.match(await main.innerText(), /500\s000\skr/);
    const criteria = main.getByRole('table', { name: 'Vurderingskriterier' });
    assert.match(await criteria.innerText(), /Forankret i linjen/);
    assert.equal(await main.getByRole('link', { name: 'Logg inn for å søke' }).count(), 1);
    assert.equal(await main.getByRole('link', { name: 'Søk', exact: true }).count(), 0);
  } finally {
    await visitor.close();
  }
});

test('the fund manager visits every calls page', { timeout: TEST_TIMEOUT_MS }, async () => {
  const visitor = await Visitor.open('manager');
  try {
    await logIn(visitor, FUND_MANAGER);
    const { main } = visitor;
    await visitor.submit(() => visitor.menu.getByRole('link', { name: 'Fond' }).click(),
      { shot: 'manager-funds' });
    await visitor.submit(() => main.getByRole('link', { name: FUND }).click(), { shot: 'manager-fund' });
    await visitor.submit(() => main.getByRole('link', { name: 'Fondets utlysninger' }).click(),
      { shot: 'manager-fund-calls' });
    assert.match(pathOf(visitor.page.url()), /^\/funds\/\d+\/calls$/);
    const fundCalls = pathOf(visitor.page.url());

    // Settings, criteria, the form editor.
    await visitor.submit(() => main.getByRole('link', { name: OPEN_CALL }).click(),
      { shot: 'manager-settings' });
    const manage = pathOf(visitor.page.url());
    assert.match(manage, /^\/calls\/\d+\/manage$/);
    const tabs = visitor.page.getByRole('navigation', { name: 'Sider for utlysningen' });
    await visitor.submit(() => tabs.getByRole('link', { name: 'Kriterier' }).click(),
      { shot: 'manager-criteria' });
    assert.match(await main.getByRole('table').first().innerText(), /100 %/);
    await visitor.submit(() => main.getByRole('link', { name: 'Forankret i linjen' }).click(),
      { shot: 'manager-criterion' });
    await visitor.goto(`${manage}/form`, { shot: 'manager-form' });
    assert.match(await main.innerText(), /Målgruppe/);

    // The public view of the call, with the link to apply (the fund
    // manager is logged in to the call's organisation).
    await visitor.goto(manage.replace('/manage', ''), { shot: 'manager-public-call' });

    // The catalogues.
    await visitor.goto('/calls/external', { shot: 'manager-external' });
    assert.match(await main.getByRole('table').innerText(), /Offentlig sektor-ph\.d\./);
    await visitor.submit(() => main.getByRole('link', { name: 'Offentlig sektor-ph.d. 2018' }).click(),
      { shot: 'manager-external-call' });
    await visitor.goto('/calls/partnership-models', { shot: 'manager-models' });
    assert.match(await main.getByRole('table').innerText(), /Effektkontrakt/);
    await visitor.submit(() => main.getByRole('link', { name: 'Pilotavtale' }).click(),
      { shot: 'manager-model' });

    // A new call: first with mistakes (422, input kept), then right.
    await visitor.goto(`${fundCalls}/new`, { shot: 'manager-new-call' });
    await main.getByLabel('Program').selectOption({ label: 'Intern risikokapital' });
    await main.getByLabel('Tittel').fill('Innovasjonsmidler høst 2027');
    await main.getByLabel('Høyeste beløp per søknad (kr)').fill('500 000,123');
    await visitor.submit(() => main.getByRole('button', { name: 'Opprett utlysning' }).click(),
      { status: 422, allowAt: fundCalls, shot: 'manager-new-call-errors' });
    assert.equal(await main.getByLabel('Tittel').inputValue(), 'Innovasjonsmidler høst 2027');
    assert.equal(await visitor.page.locator('.ds-error-summary').count(), 1);
    await main.getByLabel('Høyeste beløp per søknad (kr)').fill('500 000');
    await main.getByLabel('Dato').first().fill('2027-08-20');
    await main.getByLabel('Dato').nth(1).fill('2027-10-15');
    await visitor.submit(() => main.getByRole('button', { name: 'Opprett utlysning' }).click(),
      { shot: 'manager-created' });
    assert.match(pathOf(visitor.page.url()), /^\/calls\/\d+\/manage$/);
    assert.match(await main.innerText(), /Legg til minst ett kriterium/);
    await visitor.submit(() => tabs.getByRole('link', { name: 'Søknadsskjema' }).click(),
      { shot: 'manager-empty-form' });

    // The form editor on the new draft: a section, a choice field without
    // options (refused), then with them; then each one's own page.
    await main.getByLabel('Tittel').fill('Om prosjektet');
    await visitor.submit(() => main.getByRole('button', { name: 'Legg til del' }).click(),
      { shot: 'manager-section-added' });
    await main.getByLabel('Ledetekst').fill('Målgruppe');
    await main.getByLabel('Type').selectOption('single_choice');
    await visitor.submit(() => main.getByRole('button', { name: 'Legg til felt' }).click(),
      { status: 422, allowAt: `${pathOf(visitor.page.url())}/fields`, shot: 'manager-field-errors' });
    assert.equal(await main.getByLabel('Ledetekst').inputValue(), 'Målgruppe');
    await main.getByLabel(/Alternativer/).fill('Barn og unge\nEldre');
    await visitor.submit(() => main.getByRole('button', { name: 'Legg til felt' }).click(),
      { shot: 'manager-field-added' });
    await visitor.submit(() => main.getByRole('link', { name: 'Endre Om prosjektet' }).click(),
      { shot: 'manager-section' });
    await visitor.goto(`${pathOf(visitor.page.url()).replace(/\/sections\/\d+$/, '')}`,
      { shot: 'manager-form-again' });
    await visitor.submit(() => main.getByRole('link', { name: 'Målgruppe' }).click(),
      { shot: 'manager-field' });
    assert.match(await main.getByLabel(/Alternativer/).inputValue(), /Barn og unge/);
  } finally {
    await visitor.close();
  }
});
