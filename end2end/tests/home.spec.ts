import { expect, test } from "@playwright/test";
import { collectErrors, expectNoA11yViolations, screenshots, waitForHydration } from "./support";

const INSTITUTION = "Direcția generală asistență socială și sănătate a municipiului Chișinău";

test("the home page is rendered on the server, in Romanian, with the demo institution", async ({ request }) => {
  const res = await request.get("/");
  expect(res.status()).toBe(200);
  const html = await res.text();
  // Present in the HTML itself, before any script runs.
  expect(html).toContain('<html lang="ro"');
  expect(html).toContain("Depuneți o petiție sau o reclamație");
  expect(html).toContain(INSTITUTION);
});

test("hydration makes the text-size button work in place, without a page load", async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto("/");
  await waitForHydration(page);
  const button = page.getByRole("button", { name: /Text mărit/ });
  await expect(button).toHaveAttribute("aria-pressed", "false");

  // A marker on window survives only if the page is not reloaded.
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
  await button.click();
  await expect(button).toHaveAttribute("aria-pressed", "true");
  await expect(page.locator("html")).toHaveAttribute("data-text", "large");
  expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);

  // The choice is remembered for the next page the server renders.
  await page.goto("/accesibilitate");
  await expect(page.locator("html")).toHaveAttribute("data-text", "large");
  await waitForHydration(page);
  await page.getByRole("button", { name: /Text mărit/ }).click();
  await expect(page.locator("html")).toHaveAttribute("data-text", "normal");
  expect(errors).toEqual([]);
});

test("without JavaScript the same button is a form the server answers", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto("/");
  await page.getByRole("button", { name: /Text mărit/ }).click();
  await page.waitForURL("**/");
  await expect(page.locator("html")).toHaveAttribute("data-text", "large");
  await expect(page.getByRole("button", { name: /Text mărit/ })).toHaveAttribute("aria-pressed", "true");
  await context.close();
});

test("the language switch works and is remembered", async ({ page }) => {
  await page.goto("/accesibilitate");
  await page.getByRole("link", { name: "Русский" }).click();
  await expect(page).toHaveURL(/\/accesibilitate$/);
  await expect(page.locator("html")).toHaveAttribute("lang", "ru");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Заявление о доступности");
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Подайте петицию или жалобу");
  await page.getByRole("link", { name: "English" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("File a petition or a complaint");
});

for (const lang of ["ro", "ru", "en"]) {
  test(`pages pass axe-core (WCAG 2.1 AA) in ${lang}`, async ({ page, context, baseURL }) => {
    await context.addCookies([{ name: "petitio_lang", value: lang, url: baseURL! }]);
    for (const path of [
      "/",
      "/accesibilitate",
      "/nu-exista",
      "/autentificare",
      "/inregistrare",
      "/parola/uitata",
      "/parola/noua?token=x",
      "/urmarire",
      "/cont",
      "/depune",
      "/cazurile-mele",
      "/servicii",
      "/depune/confirmati",
      "/birou",
    ]) {
      await page.goto(path);
      await waitForHydration(page);
      await expectNoA11yViolations(page);
    }
  });
}

test("axe-core also passes with larger text, and screenshots are kept", async ({ page, context, baseURL }) => {
  await page.goto("/");
  await waitForHydration(page);
  await screenshots(page, "home");
  await page.goto("/accesibilitate");
  await screenshots(page, "accessibility");
  await context.addCookies([{ name: "petitio_text", value: "large", url: baseURL! }]);
  await page.goto("/");
  await waitForHydration(page);
  await expectNoA11yViolations(page);
  await screenshots(page, "home-large-text");
});

test("an unknown address shows the 404 page", async ({ page }) => {
  const res = await page.goto("/nu-exista");
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Pagina nu a fost găsită");
});
