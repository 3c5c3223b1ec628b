import { test, expect } from "@playwright/test";
import { expectNoA11yViolations, waitForHydration, screenshots, collectErrors } from "./support";

test("the workflow page draws the diagram and previews deadlines", async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto("/fluxuri");
  await waitForHydration(page);
  await expectNoA11yViolations(page);
  await page.getByRole("link", { name: "Petiție (Republica Moldova)" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Petiție (Republica Moldova)");
  // The diagram is an accessible image with a title.
  await expect(page.getByRole("img", { name: "Petiție (Republica Moldova)" })).toBeVisible();
  await page.getByLabel("Data înregistrării").fill("2026-04-03");
  await page.getByRole("button", { name: "Calculează" }).click();
  await expect(page).toHaveURL(/filed=2026-04-03/);
  const preview = page.locator("#preview + form + .table-wrap table");
  await expect(preview.getByRole("row", { name: /Termen de răspuns/ })).toContainText("2026-05-04");
  await expect(preview.getByRole("row", { name: /Termen de redirecționare/ })).toContainText("2026-04-10");
  await waitForHydration(page);
  await expectNoA11yViolations(page);
  await screenshots(page, "workflow-md-petition");
  expect(errors).toEqual([]);
});

test("without JavaScript the preview is a plain GET form", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto("/fluxuri/ro-petition?filed=2026-04-03");
  const preview = page.locator("#preview + form + .table-wrap table");
  await expect(preview.getByRole("row", { name: /Termen de răspuns/ })).toContainText("2026-05-04");
  await expect(preview.getByRole("row", { name: /Termen de redirecționare/ })).toContainText("2026-04-09");
  await context.close();
});
