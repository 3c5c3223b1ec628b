import { test, expect, type Page } from "@playwright/test";
import { collectErrors, expectNoA11yViolations, linkIn, mailsTo, screenshots, waitForHydration } from "./support";

async function signIn(page: Page, email: string, password: string, next: string) {
  await page.goto(`/autentificare?next=${next}`);
  await waitForHydration(page);
  await page.getByLabel("Adresa de e-mail").fill(email);
  await page.getByLabel("Parola").fill(password);
  await page.getByRole("button", { name: "Intrați în cont" }).click();
}

test("the administrator invites an officer, who chooses a password by the mailed link and reaches the desk", async ({
  page,
  browser,
}) => {
  const errors = collectErrors(page);
  const email = `e2e.officer.${Date.now()}@example.md`;
  const name = "Elena Cojocaru";
  const password = "parola ofițerului 2026";

  // The list, reached from the navigation.
  await signIn(page, "admin@demo.petitio", "demo-password-1", "/cont");
  await expect(page).toHaveURL(/\/cont$/);
  await page.getByRole("navigation", { name: "Navigare principală" }).getByRole("link", { name: "Utilizatori" }).click();
  await expect(page).toHaveURL(/\/admin\/utilizatori$/);
  await waitForHydration(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Utilizatori");
  const table = page.getByRole("table");
  await expect(table.getByRole("link", { name: "Olga Ceban" })).toBeVisible();
  await expect(table.getByRole("link", { name: "Mihai Munteanu" })).toBeVisible();
  await expectNoA11yViolations(page);
  await screenshots(page, "users-list");

  // Filtered by role.
  await page.getByLabel("Rolul", { exact: true }).first().selectOption("officer");
  await page.getByRole("button", { name: "Aplicați filtrele" }).click();
  await expect(page).toHaveURL(/role=officer/);
  await expect(table.getByRole("link", { name: "Olga Ceban" })).toBeVisible();
  await expect(table.getByRole("link", { name: "Mihai Munteanu" })).toHaveCount(0);

  // The invitation, through its form: an officer of the central office.
  const invite = page.getByRole("form", { name: "Invitați un membru al personalului" });
  await invite.getByLabel("Adresa de e-mail", { exact: true }).fill(email);
  await invite.getByLabel("Numele și prenumele", { exact: true }).fill(name);
  await invite.getByLabel("Rolul", { exact: true }).selectOption({ label: "Funcționar" });
  const scope = invite.getByLabel("Unde are rolul", { exact: true });
  const central = await scope.locator("option", { hasText: "Aparatul central" }).getAttribute("value");
  expect(central).toMatch(/^i\d+-d\d+$/);
  await scope.selectOption(central!);
  await invite.getByRole("button", { name: "Trimiteți invitația" }).click();
  await expect(page).toHaveURL(/\/admin\/utilizatori\/\d+\?invitat=1/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
  await expect(page.getByRole("status")).toContainText(`Invitația a fost trimisă la ${email}.`);
  await expect(page.locator(".summary-list")).toContainText("invitat, fără parolă încă");
  await waitForHydration(page);
  await expectNoA11yViolations(page);
  await screenshots(page, "user-page");

  // The invitation as delivered over SMTP; its link opens the page that sets the password.
  const [mail] = await mailsTo(email, /./);
  const link = linkIn(mail, /\/parola\/noua\?token=/);
  const context = await browser.newContext();
  const officer = await context.newPage();
  const officerErrors = collectErrors(officer);
  await officer.goto(link);
  await waitForHydration(officer);
  await officer.getByLabel("Parola nouă").fill(password);
  await officer.getByRole("button", { name: "Salvați parola" }).click();
  await expect(officer).toHaveURL(/\/autentificare\?parola=1/);

  // The new officer logs in and sees the desk.
  await signIn(officer, email, password, "/birou");
  await expect(officer).toHaveURL(/\/birou$/);
  await expect(officer.getByRole("heading", { level: 1 })).toHaveText("Cazuri de examinat");
  await expect(officer.getByRole("navigation", { name: "Navigare principală" }).getByRole("link", { name: "Birou" })).toBeVisible();
  await context.close();

  // The administrator sees the invitation accepted.
  await page.goto(page.url().replace(/\?.*$/, ""));
  await expect(page.locator(".summary-list")).toContainText("activ");
  await expect(page.locator(".summary-list")).not.toContainText("invitat");

  expect(errors).toEqual([]);
  expect(officerErrors).toEqual([]);
});
