import { test, expect, type Page } from "@playwright/test";
import { collectErrors, expectNoA11yViolations, waitForHydration } from "./support";

// A citizen types script payloads into the subject and the text of a petition. On every page
// that shows them (the citizen's case page and list, the officer's queue and case page, served
// rendered and rendered again in the browser after a client-side navigation) they must be text:
// no element made of them, no script run, no dialog. The pages' CSP would also stop an injected
// inline script, so the test looks at the DOM itself, not only at whether a script ran.
const SUBJECT = `<script>window.__xss=1</script> "><svg onload=alert(1)> ${Date.now()}`;
const BODY = [
  "Becurile din scara blocului nu funcționează.",
  `<img src=x onerror="window.__xss=1">`,
  `"><svg onload=alert(1)>`,
  "<script>window.__xss=1</script>",
].join("\n");

/** Fails on any dialog (alert, confirm, prompt) the page opens. */
function watchDialogs(page: Page): string[] {
  const dialogs: string[] = [];
  page.on("dialog", async (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    await d.dismiss();
  });
  return dialogs;
}

/** Nothing of the payloads became markup or ran; `text` is shown as text. */
async function expectInert(page: Page, texts: string[]) {
  for (const text of texts) {
    await expect(page.getByText(text, { exact: false }).first()).toBeVisible();
  }
  expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
  expect(await page.locator("img[onerror], svg[onload], [onload], [onerror]").count()).toBe(0);
  expect(await page.locator('img[src="x"]').count()).toBe(0);
  // The payloads travel in the hydration data inside a script, as a JSON string with every
  // "<" escaped: no "</script>" there can end that script and start markup.
  const scripts = await page.locator("script").evaluateAll((els) => els.map((e) => e.textContent ?? ""));
  expect(scripts.filter((s) => /<\/?(script|img|svg)/i.test(s))).toEqual([]);
}

async function signIn(page: Page, email: string, next: string) {
  await page.goto(`/autentificare?next=${encodeURIComponent(next)}`);
  await page.getByLabel("Adresa de e-mail").fill(email);
  await page.getByLabel("Parola").fill("demo-password-1");
  await page.getByRole("button", { name: "Intrați în cont" }).click();
}

test("script payloads in a petition stay text for the citizen and the officer", async ({ page, browser }) => {
  const errors = collectErrors(page);
  const dialogs = watchDialogs(page);
  await signIn(page, "citizen@demo.petitio", "/depune");
  await expect(page).toHaveURL(/\/depune$/);
  await waitForHydration(page);
  await page.getByLabel("Petiție", { exact: true }).check();
  await page.getByLabel("Subiectul").fill(SUBJECT);
  await page.getByLabel("Textul petiției").fill(BODY);
  await page.getByLabel("Sunt de acord cu prelucrarea datelor").check();
  await page.getByRole("button", { name: "Trimiteți petiția" }).click();
  await expect(page).toHaveURL(/\/cazuri\/\d+\?nou=1$/);
  const caseId = Number(new URL(page.url()).pathname.split("/").pop());
  const number = (await page.getByRole("status").locator("strong").textContent())!;
  expect(number).toMatch(/^CHI-\d{4}-\d{6}$/);

  // The citizen's case page, as rendered after filing and as served on a fresh load.
  await waitForHydration(page);
  await expectInert(page, [SUBJECT, `<img src=x onerror="window.__xss=1">`, `"><svg onload=alert(1)>`]);
  await page.goto(`/cazuri/${caseId}`);
  await waitForHydration(page);
  await expectInert(page, [SUBJECT, `<img src=x onerror="window.__xss=1">`]);
  await expectNoA11yViolations(page);
  // The citizen's list, reached in the browser (rendered by the client).
  await page.getByRole("link", { name: "Petițiile mele" }).click();
  await expect(page.getByRole("table")).toBeVisible();
  await expectInert(page, [SUBJECT]);
  await expectNoA11yViolations(page);

  // The officer: the queue, then the case page opened from it (a client-side navigation),
  // then the same page loaded afresh.
  const officer = await (await browser.newContext()).newPage();
  const officerErrors = collectErrors(officer);
  const officerDialogs = watchDialogs(officer);
  await signIn(officer, "officer@demo.petitio", "/birou");
  await expect(officer).toHaveURL(/\/birou$/);
  await waitForHydration(officer);
  await expectInert(officer, [SUBJECT]);
  await expectNoA11yViolations(officer);
  await officer.getByRole("link", { name: number, exact: true }).click();
  await expect(officer).toHaveURL(new RegExp(`/cazuri/${caseId}$`));
  await expectInert(officer, [SUBJECT, `<img src=x onerror="window.__xss=1">`, `"><svg onload=alert(1)>`]);
  await officer.reload();
  await waitForHydration(officer);
  await expectInert(officer, [SUBJECT, `<img src=x onerror="window.__xss=1">`, "<script>window.__xss=1</script>"]);
  await expectNoA11yViolations(officer);

  expect(dialogs).toEqual([]);
  expect(officerDialogs).toEqual([]);
  expect(errors).toEqual([]);
  expect(officerErrors).toEqual([]);
});
