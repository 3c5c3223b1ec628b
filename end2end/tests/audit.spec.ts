import { test, expect, type Page } from "@playwright/test";
import { collectErrors, expectNoA11yViolations, waitForHydration, screenshots } from "./support";

async function signIn(page: Page, email: string, next: string) {
  await page.goto(`/autentificare?next=${next}`);
  await page.getByLabel("Adresa de e-mail").fill(email);
  await page.getByLabel("Parola").fill("demo-password-1");
  await page.getByRole("button", { name: "Intrați în cont" }).click();
}

test("the administrator finds an officer's reading of a case in the audit trail and exports it", async ({
  page,
  browser,
  request,
  baseURL,
}) => {
  const errors = collectErrors(page);
  // The demo citizen files a case over the API.
  const login = await request.post("/api/v1/auth/login", {
    data: { email: "citizen@demo.petitio", password: "demo-password-1" },
    headers: { origin: baseURL! },
  });
  const citizen = { authorization: `Bearer ${(await login.json()).token}`, origin: baseURL! };
  const filed = await request.post("/api/v1/cases", {
    headers: citizen,
    data: {
      kind: "petition",
      subject: "Jurnal de audit: trotuarul de pe strada Teilor",
      body: "Trotuarul de pe strada Teilor este spart pe o lungime de zece metri de o lună.",
      consent_processing: true,
      confirm_repeat: true,
    },
  });
  expect(filed.status()).toBe(201);
  const { id, registration_number: number } = (await filed.json()) as { id: number; registration_number: string };

  // The officer reads it, in a browser of their own.
  const officerContext = await browser.newContext({ baseURL });
  const officer = await officerContext.newPage();
  await signIn(officer, "officer@demo.petitio", `/cazuri/${id}`);
  await expect(officer).toHaveURL(new RegExp(`/cazuri/${id}$`));
  await expect(officer.getByRole("heading", { level: 1 })).toContainText(number);
  await expect(officer.getByText("Jurnal de audit: trotuarul de pe strada Teilor").first()).toBeVisible();
  await officerContext.close();

  // The administrator: the trail, filtered by the case's number and the reading action.
  await signIn(page, "admin@demo.petitio", "/admin/jurnal");
  await expect(page).toHaveURL(/\/admin\/jurnal$/);
  await waitForHydration(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Jurnal de audit");
  await page.getByLabel("Cazul").fill(number);
  await page.getByLabel("Acțiunea").selectOption("case.read");
  await page.getByRole("button", { name: "Aplicați filtrele" }).click();
  await expect(page).toHaveURL(/case_id=.*action=case.read|action=case.read.*case_id=/);
  const rows = page.locator("table tbody tr");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("case.read");
  await expect(rows.first()).toContainText("Olga Ceban");
  await expect(rows.first().getByRole("link", { name: number })).toHaveAttribute("href", `/cazuri/${id}`);
  await expectNoA11yViolations(page);
  await screenshots(page, "audit-trail");

  // The filing is in the same case's trail, by the citizen.
  await page.getByLabel("Acțiunea").selectOption("case.file");
  await page.getByRole("button", { name: "Aplicați filtrele" }).click();
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("case.file");
  await expect(rows.first()).toContainText("Ion Popescu");

  // The export holds what the page shows.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Descărcați ca CSV" }).click(),
  ]);
  const csv = await (await download.createReadStream()).toArray();
  const text = Buffer.concat(csv).toString("utf8");
  const lines = text.trim().split(/\r?\n/);
  expect(lines.length, text).toBe(2);
  expect(lines[1]).toContain("case.file");
  expect(lines[1]).toContain(number);

  // A number no case has: nothing listed, and the page says so.
  await page.getByLabel("Cazul").fill("CHI-1999-000000");
  await page.getByRole("button", { name: "Aplicați filtrele" }).click();
  await expect(page.getByText("Nicio înregistrare.")).toBeVisible();
  await expect(rows).toHaveCount(0);
  await expectNoA11yViolations(page);
  expect(errors).toEqual([]);
});

test("the audit trail is for administrators only", async ({ page }) => {
  await signIn(page, "officer@demo.petitio", "/admin/jurnal");
  await expect(page).toHaveURL(/\/admin\/jurnal$/);
  await expect(page.getByText("Această pagină este pentru administratori.")).toBeVisible();
  await expect(page.locator("table")).toHaveCount(0);
});
