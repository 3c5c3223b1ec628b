import { test, expect, type Page } from "@playwright/test";
import { expectNoA11yViolations, waitForHydration, screenshots, collectErrors } from "./support";

async function login(page: Page) {
  await page.goto("/autentificare?next=/depune");
  await page.getByLabel("Adresa de e-mail").fill("citizen@demo.petitio");
  await page.getByLabel("Parola").fill("demo-password-1");
  await page.getByRole("button", { name: "Intrați în cont" }).click();
  await expect(page).toHaveURL(/\/depune$/);
}

test("a citizen files a complaint, gets the receipt, replies to the officer and appeals", async ({ page, request, baseURL }) => {
  const errors = collectErrors(page);
  await login(page);
  await waitForHydration(page);
  await expectNoA11yViolations(page);
  await screenshots(page, "file");

  // Nothing filled in: the summary lists what is missing.
  await page.getByRole("button", { name: "Trimiteți petiția" }).click();
  await expect(page.getByRole("alert")).toContainText("Subiectul trebuie să aibă între 5 și 200 de caractere.");
  await expect(page.getByRole("alert")).toContainText("Fără acordul de prelucrare a datelor");
  await expectNoA11yViolations(page);

  await page.getByLabel("Reclamație despre un serviciu").check();
  await page.getByLabel("Subdiviziunea").selectOption({ label: "Direcția asistență socială Botanica" });
  await page.getByLabel("Subiectul").fill("Cantina socială din Botanica");
  await page.getByLabel("Textul petiției").fill("Mâncarea vine rece de trei săptămâni, iar porțiile sunt mai mici.");
  await page.getByLabel("Sunt de acord cu prelucrarea datelor").check();
  await page.getByRole("button", { name: "Trimiteți petiția" }).click();

  await expect(page).toHaveURL(/\/cazuri\/\d+\?nou=1$/);
  const caseId = Number(new URL(page.url()).pathname.split("/").pop());
  const receipt = page.getByRole("status");
  await expect(receipt).toContainText("Petiția a fost înregistrată");
  await expect(receipt).toContainText(/CHI-\d{4}-\d{6}/);
  await expect(page.locator(".summary-list")).toContainText("Înregistrată");
  await waitForHydration(page);
  await expectNoA11yViolations(page);
  await screenshots(page, "receipt");

  await page.getByRole("link", { name: "Petițiile mele" }).click();
  await expect(page.getByRole("table")).toContainText("Cantina socială din Botanica");
  await expectNoA11yViolations(page);

  // The officer (through the JSON API) takes the case and asks for information.
  const officerLogin = await request.post("/api/v1/auth/login", {
    data: { email: "officer@demo.petitio", password: "demo-password-1" },
    headers: { origin: baseURL! },
  });
  expect(officerLogin.status()).toBe(200);
  const officer = { authorization: `Bearer ${(await officerLogin.json()).token}`, origin: baseURL! };
  const act = async (data: object) => {
    const res = await request.post(`/api/v1/cases/${caseId}/transitions`, { data, headers: officer });
    expect(res.status(), JSON.stringify(await res.json())).toBe(200);
  };
  await act({ transition: "take" });
  await act({ transition: "request_info", reason: "Care este adresa cantinei?" });

  await page.goto(`/cazuri/${caseId}`);
  await waitForHydration(page);
  await expect(page.getByRole("heading", { name: "Ce puteți face acum" })).toBeVisible();
  await expectNoA11yViolations(page);
  await page.getByRole("textbox", { name: /Răspunsul petiționarului/ }).fill("Str. Independenței 12, Botanica.");
  await page.getByRole("button", { name: "Răspunsul petiționarului" }).click();
  await expect(page.locator(".summary-list")).toContainText("În examinare");

  await act({ transition: "answer", answer: "Am verificat cantina și am dispus remedierea.", outcome: "partly_admitted" });
  await page.reload();
  await expect(page.locator(".case-answer")).toContainText("Am verificat cantina și am dispus remedierea.");
  await waitForHydration(page);
  // Rate the answer (the satisfaction indicator), then contest it.
  await page.getByLabel("4 — mulțumit").check();
  await page.getByLabel("Comentariu (opțional)").fill("Răspuns rapid.");
  await page.getByRole("button", { name: "Trimiteți aprecierea" }).click();
  await expect(page.getByText("Aprecierea dumneavoastră: 4 din 5")).toBeVisible();
  await expectNoA11yViolations(page);
  await page.getByRole("textbox", { name: /Contestarea răspunsului/ }).fill("Mâncarea este tot rece.");
  await page.getByRole("button", { name: /Contestarea răspunsului/ }).click();
  await expect(page.locator(".summary-list")).toContainText("Răspuns contestat");
  // The remaining action's text box starts empty: nothing typed before carries over.
  await expect(page.getByRole("textbox", { name: /Retragere de către petiționar/ })).toHaveValue("");
  await screenshots(page, "case-appealed");
  const allowed = /Failed to load resource: the server responded with a status of 422/;
  expect(errors.filter((e) => !allowed.test(e))).toEqual([]);
});

test("without JavaScript the filing form is a plain form", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await login(page);
  await page.getByLabel("Subiectul").fill("Iluminatul din scara blocului");
  await page.getByLabel("Textul petiției").fill("Becurile din scara blocului nu au fost schimbate de o lună.");
  await page.getByRole("button", { name: "Trimiteți petiția" }).click();
  await expect(page.getByRole("alert")).toContainText("Fără acordul de prelucrare a datelor");
  // Without JavaScript the form comes back empty after an error: fill it again.
  await page.getByLabel("Subiectul").fill("Iluminatul din scara blocului");
  await page.getByLabel("Textul petiției").fill("Becurile din scara blocului nu au fost schimbate de o lună.");
  await page.getByLabel("Sunt de acord cu prelucrarea datelor").check();
  await page.getByRole("button", { name: "Trimiteți petiția" }).click();
  await expect(page).toHaveURL(/\/cazuri\/\d+\?nou=1$/);
  await expect(page.getByRole("status")).toContainText("Petiția a fost înregistrată");
  await context.close();
});
