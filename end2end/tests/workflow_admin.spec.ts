import { test, expect, type Page } from "@playwright/test";
import { collectErrors, expectNoA11yViolations, waitForHydration, screenshots } from "./support";

async function signIn(page: Page, email: string, next: string) {
  await page.goto(`/autentificare?next=${encodeURIComponent(next)}`);
  await page.getByLabel("Adresa de e-mail").fill(email);
  await page.getByLabel("Parola").fill("demo-password-1");
  await page.getByRole("button", { name: "Intrați în cont" }).click();
}

test("the administrator uploads a definition, sees its error's line, fixes it and saves it", async ({ page }) => {
  const errors = collectErrors(page);
  const name = `e2e-petition-${Date.now().toString(36)}`;

  // The editor, opened on the newest version of the Moldovan petition.
  await signIn(page, "admin@demo.petitio", "/admin/fluxuri?sursa=md-petition");
  await expect(page).toHaveURL(/\/admin\/fluxuri\?sursa=md-petition/);
  // The first page of a fresh browser compiles the (debug) WASM: on a busy machine that alone
  // can take longer than the usual wait.
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true", { timeout: 45_000 });
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Administrarea fluxurilor de lucru");
  await expectNoA11yViolations(page);
  const editor = page.getByLabel("Definiția (TOML)");
  const original = await editor.inputValue();
  expect(original).toContain('name = "md-petition"');

  // A new definition with one mistake: a counting rule that does not exist.
  const lines = original.replace('name = "md-petition"', `name = "${name}"`).split("\n");
  const counting = lines.findIndex((l) => l === 'counting = "plain"');
  expect(counting).toBeGreaterThan(0);
  lines[counting] = 'counting = "sometimes"';
  await editor.fill(lines.join("\n"));
  await page.getByRole("button", { name: "Verificați", exact: true }).click();

  // Every problem with its line, next to the text area, which still holds the document.
  await expect(page).toHaveURL(/ciorna=\d+/);
  await waitForHydration(page);
  const problems = page.locator("#source-problems");
  await expect(problems).toContainText(`Linia ${counting + 1}, coloana`);
  await expect(page.getByText("Probleme găsite: 1. Nimic nu a fost salvat.")).toBeVisible();
  await expect(editor).toHaveAttribute("aria-describedby", /source-problems/);
  await expect(editor).toHaveAttribute("aria-invalid", "true");
  await expect(editor).toHaveValue(/counting = "sometimes"/);
  await expect(page.getByRole("button", { name: /Salvați versiunea/ })).toHaveCount(0);
  await expectNoA11yViolations(page);
  await screenshots(page, "workflow-admin-problems");

  // Fixed: the diagram and the deadlines, before saving.
  await editor.fill((await editor.inputValue()).replace('counting = "sometimes"', 'counting = "plain"'));
  await page.getByRole("button", { name: "Verificați", exact: true }).click();
  await expect(page.getByText(`Documentul este corect: definiția ${name}.`)).toBeVisible();
  await expect(page.getByText("Este o definiție nouă: va fi salvată ca versiunea 1.")).toBeVisible();
  await expect(page.locator("#source-problems")).toHaveCount(0);
  await expect(page.locator(".workflow-diagram svg")).toBeVisible();
  await expect(page.getByRole("img", { name: "Petiție (Republica Moldova)" })).toBeVisible();
  await expect(page.getByRole("row", { name: /Termen de răspuns/ }).first()).toBeVisible();
  await waitForHydration(page);
  await expectNoA11yViolations(page);
  await screenshots(page, "workflow-admin-preview");

  // Saved: the new version is listed with who saved it.
  await page.getByRole("button", { name: "Salvați versiunea 1" }).click();
  await expect(page).toHaveURL(new RegExp(`salvat=${name}&versiune=1`));
  await expect(page.getByText(`Definiția ${name} a fost salvată ca versiunea 1.`)).toBeVisible();
  const row = page.getByRole("row", { name: new RegExp(name) });
  await expect(row).toContainText("v1, ");
  await expect(row).toContainText("Ana Administrator");
  await waitForHydration(page);
  await expectNoA11yViolations(page);
  expect(errors).toEqual([]);
});

test("without JavaScript the check is a plain form that comes back with the problems", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await signIn(page, "admin@demo.petitio", "/admin/fluxuri");
  await expect(page).toHaveURL(/\/admin\/fluxuri$/);
  await page.getByLabel("Definiția (TOML)").fill('name = "Nu"\n');
  await page.getByRole("button", { name: "Verificați", exact: true }).click();
  await expect(page).toHaveURL(/ciorna=\d+/);
  await expect(page.locator("#source-problems")).toContainText("Linia 1, coloana");
  await expect(page.getByLabel("Definiția (TOML)")).toHaveValue('name = "Nu"\n');
  await context.close();
});
