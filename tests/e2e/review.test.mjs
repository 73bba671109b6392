// The review in the browser, on the demo data (`spire demo`): reviewer1 has
// two applications waiting in the closed autumn 2017 round. On the first
// they declare a conflict of interest (forvaltningsloven § 6) and then can
// no longer open it (403 with the reason); on the second they declare no
// conflict, score every criterion on the 1–7 scale, choose a
// recommendation and submit, after which the review is locked. The fund
// manager then sees the round's screening, reviewers, declarations and
// calibrated ranking.
// Every page state gets axe (WCAG 2.1 AA) and a screenshot in
// $SPIRE_ARTIFACTS (review-*.png).
//
// Run: SPIRE_BIN=build/<dir>/spire SPIRE_ROOT=$PWD node --test tests/e2e/review.test.mjs
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { demoSuite } from './support/suite.mjs';
import { pathOf } from './support/visitor.mjs';

const TEST_TIMEOUT_MS = 180_000;
const REVIEWER = { email: 'reviewer1@baerum.example' };
const FUND_MANAGER = { email: 'fund-manager@baerum.example' };
const ROUND = 'Innovasjonsmidler høst 2017';

const { Visitor, logIn } = demoSuite('review');

// The links of the assignments still waiting for a declaration.
async function waiting(main) {
  const rows = main.getByRole('table', { name: 'Tildelte søknader' })
    .getByRole('row').filter({ hasText: 'Ikke erklært' });
  const hrefs = [];
  for (const link of await rows.getByRole('link').all()) hrefs.push(await link.getAttribute('href'));
  return hrefs;
}

test('a reviewer declares a conflict on one application and scores another',
  { timeout: TEST_TIMEOUT_MS }, async () => {
    const visitor = await Visitor.open('reviewer');
    try {
      await logIn(visitor, REVIEWER);
      const { main, page } = visitor;
      await visitor.submit(() => visitor.menu.getByRole('link', { name: 'Mine vurderinger' }).click(),
        { shot: 'reviewer-list' });
      assert.equal(pathOf(page.url()), '/reviews');
      const open = await waiting(main);
      assert.equal(open.length, 2, `two assignments wait for reviewer1, got ${JSON.stringify(open)}`);
      const [conflicted, scored] = open;

      // The declaration comes before the application.
      await visitor.submit(() => main.locator(`a[href="${conflicted}"]`).click(),
        { shot: 'reviewer-declaration' });
      assert.equal(await main.getByRole('button', { name: 'Lagre utkast' }).count(), 0);
      await main.getByLabel('Ja, jeg er inhabil').check();
      await main.getByLabel('Grunnlag (hvis du er inhabil)').selectOption({ label: 'Part i saken' });
      await main.getByLabel('Merknad (hvis du er inhabil)').fill('Jeg er ansatt i enheten som søker.');
      await visitor.submit(() => main.getByRole('button', { name: 'Erklær' }).click(),
        { shot: 'reviewer-conflict-declared' });
      assert.equal(pathOf(page.url()), '/reviews');
      assert.match(await main.innerText(), /Søknaden er tatt fra deg/);
      assert.equal(await main.locator(`a[href="${conflicted}"]`).count(), 0);
      await visitor.goto(conflicted, { status: 403, shot: 'reviewer-conflict-refused' });
      assert.match(await main.innerText(), /Du har erklært deg inhabil for denne søknaden/);

      // No conflict on the other: the scoring form.
      await visitor.goto('/reviews', { shot: 'reviewer-list-after-conflict' });
      await visitor.submit(() => main.locator(`a[href="${scored}"]`).click(),
        { shot: 'reviewer-declaration-2' });
      await main.getByLabel('Nei, jeg er ikke inhabil').check();
      await visitor.submit(() => main.getByRole('button', { name: 'Erklær' }).click(),
        { shot: 'reviewer-scoring' });
      assert.equal(pathOf(page.url()), scored);
      const criteria = main.locator('fieldset').filter({ has: page.locator('input[name^="score_"]') });
      const count = await criteria.count();
      assert.equal(count, 6, 'the council scores six criteria');
      for (let i = 0; i < count; i += 1) {
        await criteria.nth(i).getByLabel(/^5 – /).check();
      }
      await main.getByLabel('Bør innvilges med endringer').check();
      await main.getByLabel('Samlet kommentar').fill('Godt begrunnet, men spredningen bør planlegges bedre.');
      await visitor.submit(() => main.getByRole('button', { name: 'Send inn vurderingen' }).click(),
        { shot: 'reviewer-submitted' });
      assert.equal(pathOf(page.url()), scored);
      assert.match(await main.innerText(), /Vurderingen din er sendt inn/);
      assert.match(await main.innerText(), /Sendt inn og låst/);
      assert.equal(await main.getByRole('button', { name: 'Send inn vurderingen' }).count(), 0);
    } finally {
      await visitor.close();
    }
  });

test('the fund manager sees the round\'s review pages', { timeout: TEST_TIMEOUT_MS }, async () => {
  const visitor = await Visitor.open('manager');
  try {
    await logIn(visitor, FUND_MANAGER);
    const { main } = visitor;
    await visitor.submit(() => visitor.menu.getByRole('link', { name: 'Fond' }).click(),
      { shot: 'manager-funds' });
    await visitor.submit(() => main.getByRole('link', { name: 'Forsknings- og innovasjonsfond' }).click(),
      { shot: 'manager-fund' });
    await visitor.submit(() => main.getByRole('link', { name: 'Fondets utlysninger' }).click(),
      { shot: 'manager-fund-calls' });
    await visitor.submit(() => main.getByRole('link', { name: ROUND }).click(), { shot: 'manager-round' });
    const tabs = visitor.page.getByRole('navigation', { name: 'Sider for utlysningen' });
    await visitor.submit(() => tabs.getByRole('link', { name: 'Formell vurdering' }).click(),
      { shot: 'manager-screening' });
    assert.match(await main.innerText(), /26 oppfyller kravene, 1 oppfyller dem ikke, 0 er ikke vurdert/);
    assert.match(await main.innerText(), /ordinær drift og faller utenfor utlysningen/);
    await visitor.submit(() => tabs.getByRole('link', { name: 'Fagfeller' }).click(),
      { shot: 'manager-reviewers' });
    assert.match(await main.innerText(), /5 fagfeller i panelet/);
    await visitor.submit(() => tabs.getByRole('link', { name: 'Inhabilitet' }).click(),
      { shot: 'manager-conflicts' });
    assert.match(await main.innerText(), /Søsteren min leder prosjektet/);
    // The calibrated ranking of the 26 eligible applications: the table,
    // and the rank plot as an image with the table as its text.
    await visitor.submit(() => tabs.getByRole('link', { name: 'Rangering' }).click(),
      { shot: 'manager-ranking' });
    assert.equal(await main.getByRole('heading', { level: 1 }).innerText(), 'Rangering');
    assert.match(await main.innerText(), /26 søknader, \d+ innsendte vurderinger fra 5 fagfeller/);
    assert.equal(await main.locator('svg[role="img"]').count(), 1);
    const rows = main.locator('table tbody tr');
    assert.equal(await rows.count(), 26);
  } finally {
    await visitor.close();
  }
});
