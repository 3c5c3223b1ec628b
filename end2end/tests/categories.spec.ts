import { test, expect, type Page } from "@playwright/test";
import { collectErrors, expectNoA11yViolations, waitForHydration, screenshots } from "./support";

async function signIn(page: Page, email: string, next: string) {
  await page.goto(`/autentificare?next=${next}`);
  await page.getByLabel("Adresa de e-mail").fill(email);
  await page.getByLabel("Parola").fill("demo-password-1");
  await page.getByRole("button", { name: "Intrați în cont" }).click();
  await expect(page).toHaveURL(new RegExp(`${next.replace("?", "\\?")}$`));
}

const CATEGORY = "Ajutoare și prestații sociale";
const QUESTION = "Câți membri are familia";

test("the administrator adds a question to a category; the filing form asks it for that category only and checks it", async ({ browser }) => {
  const admin = await (await browser.newContext()).newPage();
  const adminErrors = collectErrors(admin);
  await signIn(admin, "admin@demo.petitio", "/admin/categorii");
  await waitForHydration(admin);
  await expect(admin.getByRole("heading", { level: 1 })).toHaveText("Categorii și întrebările lor");
  await expectNoA11yViolations(admin);

  const section = admin.locator("section", { has: admin.getByRole("heading", { level: 2, name: CATEGORY }) });
  await section.getByText("Întrebare nouă").click();
  const form = section.locator("form", { has: admin.getByRole("button", { name: "Adaugă întrebarea" }) });
  // A choice without options: refused, the problem next to the options.
  await form.getByLabel("Cod").fill("membri");
  await form.getByLabel("Întrebarea în română").fill(QUESTION);
  await form.getByLabel("Tipul răspunsului").selectOption({ label: "Alegere dintr-o listă" });
  await form.getByRole("button", { name: "Adaugă întrebarea" }).click();
  await expect(form.getByText("O întrebare cu alegere are nevoie de cel puțin o variantă.")).toBeVisible();
  await expectNoA11yViolations(admin);
  await form.getByLabel("Tipul răspunsului").selectOption({ label: "Număr" });
  await form.getByLabel("Răspuns obligatoriu").check();
  await form.getByRole("button", { name: "Adaugă întrebarea" }).click();
  await expect(admin.getByText("Modificarea a fost salvată.")).toBeVisible();
  await expect(section.getByRole("table")).toContainText(QUESTION);
  await expectNoA11yViolations(admin);
  await screenshots(admin, "admin-categories");

  // The service registry's administration is reachable and accessible too.
  await admin.goto("/admin/servicii");
  await waitForHydration(admin);
  await expect(admin.getByRole("heading", { level: 1 })).toBeVisible();
  await expectNoA11yViolations(admin);
  expect(adminErrors.filter((e) => !/status of 4(00|22)/.test(e))).toEqual([]);

  // The citizen: the question shows once its category is chosen, and is checked.
  const page = await (await browser.newContext()).newPage();
  const errors = collectErrors(page);
  await signIn(page, "citizen@demo.petitio", "/depune");
  await waitForHydration(page);
  const questions = page.getByRole("group", { name: `Întrebări pentru categoria „${CATEGORY}”` });
  await expect(questions).toBeHidden();
  await expect(page.getByRole("group", { name: "Întrebări pentru categoria „Îngrijire la domiciliu”" })).toBeHidden();
  await page.getByLabel("Serviciul la care se referă").selectOption({ label: CATEGORY });
  await expect(questions).toBeVisible();
  await expect(page.getByRole("group", { name: "Întrebări pentru categoria „Îngrijire la domiciliu”" })).toBeHidden();
  await expectNoA11yViolations(page);

  await page.getByLabel("Petiție", { exact: true }).check();
  await page.getByLabel("Subiectul").fill("Ajutor social pentru familia mea");
  await page.getByLabel("Textul petiției").fill("Solicit examinarea dreptului familiei mele la ajutor social pentru iarnă.");
  await page.getByLabel("Sunt de acord cu prelucrarea datelor").check();
  await page.getByRole("button", { name: "Trimiteți petiția" }).click();
  await expect(page.getByRole("alert")).toContainText(`Răspundeți la întrebarea „${QUESTION}”.`);
  await expect(questions.locator(".field-error")).toHaveText(`Răspundeți la întrebarea „${QUESTION}”.`);
  await expectNoA11yViolations(page);

  await questions.getByLabel(QUESTION).fill("4");
  await page.getByRole("button", { name: "Trimiteți petiția" }).click();
  await expect(page).toHaveURL(/\/cazuri\/\d+\?nou=1$/);
  await expect(page.getByRole("heading", { name: "Răspunsuri la întrebările categoriei" })).toBeVisible();
  await expect(page.locator("dl").filter({ hasText: QUESTION })).toContainText("4");
  await waitForHydration(page);
  await expectNoA11yViolations(page);
  expect(errors.filter((e) => !/status of 422/.test(e))).toEqual([]);
});
