import { test, expect, type Page } from "@playwright/test";
import { expectNoA11yViolations, waitForHydration, screenshots } from "./support";

async function signIn(page: Page, email: string, next: string) {
  await page.goto(`/autentificare?next=${next}`);
  await page.getByLabel("Adresa de e-mail").fill(email);
  await page.getByLabel("Parola").fill("demo-password-1");
  await page.getByRole("button", { name: "Intrați în cont" }).click();
}

test("a manager reads the indicators, follows a number to its cases and downloads the CSV", async ({ page, request, baseURL }) => {
  // A citizen files today (over the API), so the period holds at least one case.
  const login = await request.post("/api/v1/auth/login", {
    data: { email: "citizen@demo.petitio", password: "demo-password-1" },
    headers: { origin: baseURL! },
  });
  const headers = { authorization: `Bearer ${(await login.json()).token}`, origin: baseURL! };
  const filed = await request.post("/api/v1/cases", {
    headers,
    data: { kind: "petition", subject: "Indicatori: cantina de pe strada Decebal", body: "Mâncarea vine rece de trei săptămâni.", consent_processing: true, confirm_repeat: true },
  });
  expect(filed.status()).toBe(201);
  const number = (await filed.json()).registration_number as string;

  await signIn(page, "manager@demo.petitio", "/birou/indicatori");
  await expect(page).toHaveURL(/\/birou\/indicatori$/);
  await waitForHydration(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Indicatori");
  // Five charts, each an image with a name, each followed by its table.
  await expect(page.locator("figure.chart svg[role=img]")).toHaveCount(5);
  await expect(page.locator("figure.chart table")).toHaveCount(5);
  await expectNoA11yViolations(page);
  await screenshots(page, "dashboard");

  // The number received links to exactly those cases in the queue.
  const received = page.locator(".kpi").filter({ hasText: "Primite" }).getByRole("link");
  const count = Number(await received.textContent());
  expect(count).toBeGreaterThan(0);
  await received.click();
  await expect(page).toHaveURL(/\/birou\?status=all&filed_from=/);
  await expect(page.getByRole("table")).toContainText(number);
  await expect(page.getByRole("status")).toHaveText(`${count} cazuri`);
  await expectNoA11yViolations(page);

  // The indicators download as CSV (fetched with the page's own session).
  await page.goBack();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Indicatori");
  const link = page.getByRole("link", { name: "Indicatorii în CSV" });
  await expect(link).toHaveAttribute("download", "");
  const href = await link.getAttribute("href");
  expect(href).toMatch(/^\/api\/v1\/metrics\.csv\?from=\d{4}-\d{2}-\d{2}&to=/);
  const res = await page.request.get(href!);
  expect(res.status()).toBe(200);
  expect(res.headers()["content-disposition"]).toMatch(/^attachment; filename="indicatori-/);
  expect(await res.text()).toContain(`received,${count}`);
});

test("without JavaScript the dashboard is the same page and its form works", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await signIn(page, "manager@demo.petitio", "/birou/indicatori");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Indicatori");
  await page.getByLabel("De la").fill("2026-01-01");
  await page.getByLabel("Până la").fill("2026-12-31");
  await page.getByRole("button", { name: "Arată" }).click();
  await expect(page).toHaveURL(/from=2026-01-01&to=2026-12-31/);
  await expect(page.getByRole("heading", { level: 2 }).first()).toHaveText("2026-01-01 – 2026-12-31");
  await expect(page.locator("figure.chart svg")).toHaveCount(5);
  await context.close();
});

test("anyone reads the public statistics, with their open data", async ({ page }) => {
  await page.goto("/statistici");
  await waitForHydration(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Statistici publice");
  await expect(page.locator("figure.chart svg[role=img]").first()).toBeVisible();
  await expectNoA11yViolations(page);
  const json = page.getByRole("link", { name: "JSON" });
  const res = await page.request.get((await json.getAttribute("href"))!);
  expect(res.status()).toBe(200);
  const list = await res.json();
  expect(list[0].indicators.by_officer).toEqual([]);
});
