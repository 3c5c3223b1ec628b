import { test, expect, type Page, type APIRequestContext } from "@playwright/test";
import { expectNoA11yViolations, waitForHydration, screenshots, collectErrors, mailsTo, linkIn } from "./support";

const PDF = Buffer.from("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n");
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);

async function login(page: Page) {
  await page.goto("/autentificare?next=/depune");
  await page.getByLabel("Adresa de e-mail").fill("citizen@demo.petitio");
  await page.getByLabel("Parola").fill("demo-password-1");
  await page.getByRole("button", { name: "Intrați în cont" }).click();
  await expect(page).toHaveURL(/\/depune$/);
}

/** The officer, through the JSON API (the officer workspace is another issue's). */
async function officer(request: APIRequestContext, baseURL: string) {
  const res = await request.post("/api/v1/auth/login", {
    data: { email: "officer@demo.petitio", password: "demo-password-1" },
    headers: { origin: baseURL },
  });
  expect(res.status()).toBe(200);
  const headers = { authorization: `Bearer ${(await res.json()).token}`, origin: baseURL };
  return async (caseId: number, data: object) => {
    const r = await request.post(`/api/v1/cases/${caseId}/transitions`, { data, headers });
    expect(r.status(), JSON.stringify(await r.json())).toBe(200);
  };
}

test("a citizen files a complaint, gets the receipt, replies to the officer and appeals", async ({ page, request, baseURL }) => {
  const errors = collectErrors(page);
  await login(page);
  await waitForHydration(page);
  await expectNoA11yViolations(page);
  await screenshots(page, "file");

  // Nothing filled in, and a program disguised as a PDF: the summary lists every problem.
  await page.getByLabel("Documente atașate (opțional)").setInputFiles({ name: "factura.pdf", mimeType: "application/pdf", buffer: Buffer.from("MZ\x90\x00 not a pdf") });
  await page.getByRole("button", { name: "Trimiteți petiția" }).click();
  await expect(page.getByRole("alert")).toContainText("Subiectul trebuie să aibă între 5 și 200 de caractere.");
  await expect(page.getByRole("alert")).toContainText("Fără acordul de prelucrare a datelor");
  await expect(page.getByRole("alert")).toContainText("Fișierul factura.pdf nu este PDF, imagine sau document de birou");
  await expectNoA11yViolations(page);

  await page.getByLabel("Reclamație despre un serviciu").check();
  await page.getByLabel("Subdiviziunea").selectOption({ label: "Direcția asistență socială Botanica" });
  await page.getByLabel("Subiectul").fill("Cantina socială din Botanica");
  await page.getByLabel("Textul petiției").fill("Mâncarea vine rece de trei săptămâni, iar porțiile sunt mai mici.");
  await page.getByLabel("Serviciul (opțional)").selectOption({ label: "Cantina socială Botanica" });
  await page.getByLabel("Documente atașate (opțional)").setInputFiles({ name: "meniul.pdf", mimeType: "application/pdf", buffer: PDF });
  await page.getByLabel("Sunt de acord cu prelucrarea datelor").check();
  await page.getByRole("button", { name: "Trimiteți petiția" }).click();

  await expect(page).toHaveURL(/\/cazuri\/\d+\?nou=1$/);
  const caseId = Number(new URL(page.url()).pathname.split("/").pop());
  const receipt = page.getByRole("status");
  await expect(receipt).toContainText("Petiția a fost înregistrată");
  await expect(receipt).toContainText(/CHI-\d{4}-\d{6}/);
  await expect(page.locator(".summary-list")).toContainText("Înregistrată");
  await expect(page.getByRole("link", { name: "meniul.pdf" })).toHaveAttribute("href", /\/fisiere\/\d+$/);
  const number = (await receipt.locator("strong").textContent())!;
  await waitForHydration(page);
  await expectNoA11yViolations(page);
  await screenshots(page, "receipt");
  // The receipt mail, delivered over SMTP.
  const receiptMails = await mailsTo("citizen@demo.petitio", new RegExp(`înregistrată: ${number}`));
  expect(receiptMails[0].text).toContain(`/cazuri/${caseId}`);
  expect(receiptMails[0].messageId).toMatch(/@/);

  await page.getByRole("link", { name: "Petițiile mele" }).click();
  await expect(page.getByRole("table")).toContainText("Cantina socială din Botanica");
  await expectNoA11yViolations(page);

  // The officer (through the JSON API) takes the case and asks for information.
  const officerActs = await officer(request, baseURL!);
  const act = (data: object) => officerActs(caseId, data);
  await act({ transition: "take" });
  await act({ transition: "request_info", reason: "Care este adresa cantinei?" });

  await page.goto(`/cazuri/${caseId}`);
  await waitForHydration(page);
  await expect(page.getByRole("heading", { name: "Ce puteți face acum" })).toBeVisible();
  await expectNoA11yViolations(page);
  await page.getByRole("textbox", { name: /Răspunsul petiționarului/ }).fill("Str. Independenței 12, Botanica.");
  await page.getByLabel("Documente atașate (opțional)").setInputFiles({ name: "cantina.png", mimeType: "image/png", buffer: PNG });
  await page.getByRole("button", { name: "Răspunsul petiționarului" }).click();
  await expect(page.locator(".summary-list")).toContainText("În examinare");
  await expect(page.locator(".timeline")).toContainText("cantina.png");

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

  // Filing again on the same subject: named while typing, before sending; the text counts down.
  await page.goto("/depune");
  await waitForHydration(page);
  await page.getByLabel("Subiectul").fill("Cantina socială din Botanica");
  await page.getByLabel("Subiectul").press("Tab");
  await expect(page.getByText(`Aveți deja o petiție deschisă pe o temă asemănătoare: ${number}`)).toBeVisible();
  await expect(page.getByLabel("Da, este o petiție nouă, diferită de cea deja depusă.")).toBeVisible();
  await page.getByLabel("Textul petiției").fill("Zece litere");
  await expect(page.getByText("Mai puteți scrie 9989 caractere.")).toBeVisible();
  await expectNoA11yViolations(page);
  const allowed = /Failed to load resource: the server responded with a status of 422/;
  expect(errors.filter((e) => !allowed.test(e))).toEqual([]);
});

test("without JavaScript a visitor files with a document, confirms by mail, replies, rates from the mail and appeals", async ({ browser, request, baseURL }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const email = `vizitator.${Date.now()}@example.md`;
  const fill = async (withName: boolean) => {
    await page.getByLabel("Reclamație despre un serviciu").check();
    await page.getByLabel("Subiectul").fill("Iluminatul din scara blocului");
    await page.getByLabel("Textul petiției").fill("Becurile din scara blocului nu au fost schimbate de o lună.");
    await page.getByLabel("Documente atașate (opțional)").setInputFiles({ name: "scara.pdf", mimeType: "application/pdf", buffer: PDF });
    if (withName) await page.getByLabel("Numele și prenumele").fill("Vasile Rusu");
    await page.getByLabel("Adresa de e-mail").fill(email);
    await page.getByLabel("Sunt de acord cu prelucrarea datelor").check();
    await page.getByRole("button", { name: "Trimiteți petiția" }).click();
  };
  await page.goto("/depune");
  // Without a name: refused, with the legal reason.
  await fill(false);
  await expect(page.getByRole("alert")).toContainText("petițiile anonime nu se examinează");
  // Without JavaScript the form comes back empty after an error: fill it again.
  await fill(true);
  await expect(page).toHaveURL(/\/depune\/confirmati$/);
  await expect(page.getByRole("status")).toContainText("V-am trimis un e-mail cu un link de confirmare");

  const [confirm] = await mailsTo(email, /Confirmați petiția/);
  await page.goto(linkIn(confirm, /\/depune\/confirmare\//));
  await expect(page).toHaveURL(/\/cazuri\/\d+\?nou=1$/);
  const caseId = Number(new URL(page.url()).pathname.split("/").pop());
  await expect(page.getByRole("status")).toContainText("Petiția a fost înregistrată");
  await expect(page.getByRole("link", { name: "scara.pdf" })).toBeVisible();
  await screenshots(page, "receipt-visitor");
  const number = (await page.getByRole("status").locator("strong").textContent())!;
  const [receiptMail] = await mailsTo(email, new RegExp(`înregistrată: ${number}`));
  expect(receiptMail.text).toContain("Iluminatul din scara blocului");
  const [trackMail] = await mailsTo(email, /Urmăriți petiția/);

  // The officer asks for information; the visitor opens the case by the mailed link and replies.
  const act = await officer(request, baseURL!);
  await act(caseId, { transition: "take" });
  await act(caseId, { transition: "request_info", reason: "La ce etaj?" });
  await page.goto(linkIn(trackMail, /\/urmarire\//));
  await expect(page).toHaveURL(new RegExp(`/cazuri/${caseId}$`));
  await expect(page.locator(".timeline")).toContainText("La ce etaj?");
  await page.getByRole("textbox", { name: /Răspunsul petiționarului/ }).fill("Etajul 3 și 4.");
  await page.getByLabel("Documente atașate (opțional)").setInputFiles({ name: "bec.png", mimeType: "image/png", buffer: PNG });
  await page.getByRole("button", { name: "Răspunsul petiționarului" }).click();
  await expect(page.locator(".summary-list")).toContainText("În examinare");
  await expect(page.locator(".timeline")).toContainText("bec.png");

  // The answer arrives by mail; one click in it rates the answer.
  await act(caseId, { transition: "answer", answer: "Becurile au fost schimbate.", outcome: "admitted" });
  const [answer] = await mailsTo(email, /Răspuns la petiția/);
  expect(answer.text).toContain("Becurile au fost schimbate.");
  await page.goto(linkIn(answer, /\/evaluare\/[0-9a-f]+\/5$/));
  await expect(page.getByText("Mulțumim! Aprecierea dumneavoastră (5 din 5) a fost înregistrată.")).toBeVisible();
  await expect(page.locator(".case-answer")).toContainText("Becurile au fost schimbate.");
  await screenshots(page, "case-answered-visitor");
  // And the visitor contests it.
  await page.getByRole("textbox", { name: /Contestarea răspunsului/ }).fill("Becul de la etajul 4 tot nu arde.");
  await page.getByRole("button", { name: /Contestarea răspunsului/ }).click();
  await expect(page.locator(".summary-list")).toContainText("Răspuns contestat");
  await context.close();
});

test("the visitor's pages and the service registry pass axe-core", async ({ page }) => {
  // axe-core runs inside the page, so it needs JavaScript: the no-JavaScript pages above are
  // the same HTML, checked here with JavaScript on.
  await page.goto("/depune");
  await waitForHydration(page);
  await expect(page.getByLabel("Numele și prenumele")).toBeVisible();
  await expectNoA11yViolations(page);
  await page.getByRole("button", { name: "Trimiteți petiția" }).click();
  await expect(page.getByRole("alert")).toContainText("petițiile anonime nu se examinează");
  await expectNoA11yViolations(page);
  await page.goto("/depune/confirmati");
  await expectNoA11yViolations(page);
  await page.goto("/depune/confirmati?link=invalid");
  await expect(page.getByRole("alert")).toContainText("nu mai este valabil");
  await expectNoA11yViolations(page);
  await page.goto("/servicii?q=botanica");
  await expect(page.getByRole("table")).toContainText("Cantina socială Botanica");
  await expectNoA11yViolations(page);
  await screenshots(page, "services");
  await page.getByRole("link", { name: /Depuneți o petiție\s*: Cantina socială Botanica/ }).click();
  await expect(page.getByLabel("Serviciul (opțional)")).toHaveValue(/\d+/);
});
