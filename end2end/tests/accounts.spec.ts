import { test, expect } from "@playwright/test";
import { expectNoA11yViolations, waitForHydration, screenshots, collectErrors, mailsTo, linkIn } from "./support";

// A unique address per run: the database is fresh, but a rerun against the same server must not collide.
const email = `e2e.${Date.now()}@example.md`;
const password = "parola de test 2026";

test("register, confirm by the mailed link, log in, log out", async ({ page }) => {
  const errors = collectErrors(page);

  await page.goto("/inregistrare");
  await waitForHydration(page);
  await expectNoA11yViolations(page);

  // A bad submission shows the error summary and the errors next to the fields.
  await page.getByLabel("Numele și prenumele").fill("Ana Test");
  await page.getByLabel("Adresa de e-mail").fill("not-an-address");
  await page.getByLabel("Parola").fill("short");
  await page.getByRole("button", { name: "Creați contul" }).click();
  const summary = page.getByRole("alert");
  await expect(summary).toContainText("Există o problemă");
  await expect(summary.getByRole("link", { name: /adresă de e-mail validă/ })).toHaveAttribute("href", "#email");
  await expect(page.locator("#password-error")).toContainText("între 10 și 128");
  await expect(page.getByLabel("Parola")).toHaveAttribute("aria-invalid", "true");
  await expectNoA11yViolations(page);
  await screenshots(page, "register-errors");

  await page.getByLabel("Adresa de e-mail").fill(email);
  await page.getByLabel("Parola").fill(password);
  await page.getByRole("button", { name: "Creați contul" }).click();
  await expect(page).toHaveURL(/\/inregistrare\?trimis=1/);
  await expect(page.getByRole("status")).toContainText("Verificați-vă e-mailul");

  // The confirmation mail, as delivered over SMTP to the test mail server.
  const [mail] = await mailsTo(email, /./);
  await page.goto(linkIn(mail, /\/cont\/confirmare\//));
  await expect(page).toHaveURL(/\/autentificare\?confirmat=1/);
  await expect(page.getByRole("status")).toContainText("Adresa de e-mail a fost confirmată");
  await waitForHydration(page);

  // A wrong password first, then the right one.
  await page.getByLabel("Adresa de e-mail").fill(email);
  await page.getByLabel("Parola").fill("not the password");
  await page.getByRole("button", { name: "Intrați în cont" }).click();
  await expect(page.getByRole("alert")).toContainText("Adresa de e-mail sau parola nu este corectă.");
  await page.getByLabel("Parola").fill(password);
  await page.getByRole("button", { name: "Intrați în cont" }).click();
  await expect(page).toHaveURL(/\/cont$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Contul meu");
  await expect(page.locator(".summary-list")).toContainText("Ana Test");
  await expect(page.locator(".summary-list")).toContainText(email);
  await waitForHydration(page);
  await expectNoA11yViolations(page);
  await screenshots(page, "account");

  // The session cookie is HttpOnly: scripts cannot read it.
  expect(await page.evaluate(() => document.cookie)).not.toContain("petitio_session");

  await page.getByRole("navigation", { name: "Navigare principală" }).getByRole("button", { name: "Ieșire" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("link", { name: "Autentificare" })).toBeVisible();
  await page.goto("/cont");
  await expect(page.getByText("Pentru această pagină trebuie să intrați în cont.")).toBeVisible();
  // The refused submissions (422, 401) and the mailbox page's missing favicon (404) are logged by
  // the browser as failed loads; anything else (a CSP violation, a panic) fails the test.
  const expected = /Failed to load resource: the server responded with a status of (401|404|422)/;
  expect(errors.filter((e) => !expected.test(e))).toEqual([]);
});

test("without JavaScript, login and logout are plain forms", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto("/autentificare");
  await page.getByLabel("Adresa de e-mail").fill("citizen@demo.petitio");
  await page.getByLabel("Parola").fill("wrong password 1");
  await page.getByRole("button", { name: "Intrați în cont" }).click();
  await expect(page.getByRole("alert")).toContainText("Adresa de e-mail sau parola nu este corectă.");
  await page.getByLabel("Adresa de e-mail").fill("citizen@demo.petitio");
  await page.getByLabel("Parola").fill("demo-password-1");
  await page.getByRole("button", { name: "Intrați în cont" }).click();
  await expect(page).toHaveURL(/\/cont$/);
  await expect(page.locator(".summary-list")).toContainText("Ion Popescu");
  await page.getByRole("navigation", { name: "Navigare principală" }).getByRole("button", { name: "Ieșire" }).click();
  await expect(page.getByRole("link", { name: "Autentificare" })).toBeVisible();
  await context.close();
});
