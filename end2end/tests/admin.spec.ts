import { test, expect, type Page } from "@playwright/test";
import { collectErrors, expectNoA11yViolations, waitForHydration, screenshots } from "./support";

async function signIn(page: Page, email: string, next: string) {
  await page.goto(`/autentificare?next=${next}`);
  await page.getByLabel("Adresa de e-mail").fill(email);
  await page.getByLabel("Parola").fill("demo-password-1");
  await page.getByRole("button", { name: "Intrați în cont" }).click();
}

test("the administrator adds a department and a routing rule to it through the pages", async ({ page }) => {
  const errors = collectErrors(page);
  const code = `e2e${Date.now().toString(36)}`;
  const name = `Serviciul social de probă ${code}`;

  // The list of the institutions the demo administrator administers: theirs.
  await signIn(page, "admin@demo.petitio", "/admin/institutii");
  await expect(page).toHaveURL(/\/admin\/institutii$/);
  await waitForHydration(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Instituții");
  // An institution's administrator may not add institutions.
  await expect(page.getByRole("button", { name: "Adăugați instituția" })).toHaveCount(0);
  await expectNoA11yViolations(page);
  await page
    .getByRole("table")
    .getByRole("link", { name: "Direcția generală asistență socială și sănătate a municipiului Chișinău" })
    .click();
  await expect(page).toHaveURL(/\/admin\/institutii\/\d+$/);
  await waitForHydration(page);
  await expect(page.getByRole("heading", { name: "Subdiviziuni", level: 2 })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Reguli de repartizare", level: 2 })).toBeVisible();

  // A department, through its form.
  const newDepartment = page.getByRole("form", { name: "Adăugați o subdiviziune" });
  await newDepartment.getByLabel("Codul", { exact: true }).fill(code);
  await newDepartment.getByLabel("Denumirea în română", { exact: true }).fill(name);
  await newDepartment.getByLabel("Denumirea în rusă", { exact: true }).fill(`Пробная социальная служба ${code}`);
  await newDepartment.getByLabel("Denumirea în engleză", { exact: true }).fill(`Trial social service ${code}`);
  await newDepartment.getByLabel("Zona teritorială (opțional)", { exact: true }).fill("Codru");
  await newDepartment.getByRole("button", { name: "Adăugați subdiviziunea" }).click();
  await expect(page).toHaveURL(/\?salvat=1/);
  await expect(page.getByText("Modificările au fost salvate.")).toBeVisible();
  const item = page.locator(".canned-list > li", { has: page.getByRole("heading", { name, level: 3 }) });
  await expect(item).toBeVisible();
  await expect(item).toContainText(code);
  await expect(item).toContainText("Cazuri deschise: 0");

  // A rule: the petitions about social benefits go to it.
  const newRule = page.getByRole("form", { name: "Adăugați o regulă" });
  await newRule.getByLabel("Categoria", { exact: true }).selectOption({ label: "Ajutoare și prestații sociale" });
  await newRule.getByLabel("Subdiviziunea", { exact: true }).selectOption({ label: name });
  await newRule.getByRole("button", { name: "Adăugați regula" }).click();
  const row = page.getByRole("row", { name: new RegExp(`Ajutoare și prestații sociale.*${code}`) });
  await expect(row).toBeVisible();
  await expect(row.getByRole("cell").first()).toHaveText("Categoria: Ajutoare și prestații sociale");
  await expect(row.getByRole("cell").nth(1)).toContainText(name);

  await expectNoA11yViolations(page);
  await screenshots(page, "admin-institution");
  expect(errors).toEqual([]);
});
