import { test, expect } from "@playwright/test";
import { expectNoA11yViolations, waitForHydration, screenshots } from "./support";

test("an officer finds a case in the queue by words in any spelling", async ({ page, request, baseURL }) => {
  // A citizen files (over the API) a complaint written with the old spelling.
  const login = await request.post("/api/v1/auth/login", {
    data: { email: "citizen@demo.petitio", password: "demo-password-1" },
    headers: { origin: baseURL! },
  });
  const headers = { authorization: `Bearer ${(await login.json()).token}`, origin: baseURL! };
  const filed = await request.post("/api/v1/cases", {
    headers,
    data: { kind: "complaint", subject: "Plîngere: apa caldă lipsește", body: "De două săptămâni nu avem apă caldă în bloc.", consent_processing: true, confirm_repeat: true },
  });
  expect(filed.status()).toBe(201);
  const number = (await filed.json()).registration_number as string;

  await page.goto("/autentificare?next=/birou");
  await page.getByLabel("Adresa de e-mail").fill("officer@demo.petitio");
  await page.getByLabel("Parola").fill("demo-password-1");
  await page.getByRole("button", { name: "Intrați în cont" }).click();
  await expect(page).toHaveURL(/\/birou$/);
  await waitForHydration(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Cazuri de examinat");
  await expect(page.getByRole("table")).toContainText(number);
  await expectNoA11yViolations(page);
  await screenshots(page, "queue");

  // The new spelling, without diacritics: the router updates the list in place.
  await page.getByLabel("Căutare").fill("plangere apa calda");
  await page.getByRole("button", { name: "Aplicați filtrele" }).click();
  await expect(page).toHaveURL(/q=plangere/);
  await expect(page.getByRole("table")).toContainText(number);
  await expect(page.getByRole("status")).toHaveText("1 cazuri");
  await page.getByLabel("Căutare").fill("nimic asemanator");
  await page.getByRole("button", { name: "Aplicați filtrele" }).click();
  await expect(page.getByText("Niciun caz nu corespunde filtrelor.")).toBeVisible();
  await expectNoA11yViolations(page);
});
