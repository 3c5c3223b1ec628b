import { test, expect, type APIRequestContext, type Page } from "@playwright/test";
import { collectErrors, expectNoA11yViolations, waitForHydration, screenshots } from "./support";

/** Signs in over the API; the headers of its later calls. */
async function apiAs(request: APIRequestContext, baseURL: string, email: string) {
  const res = await request.post("/api/v1/auth/login", { data: { email, password: "demo-password-1" }, headers: { origin: baseURL } });
  expect(res.status()).toBe(200);
  return { authorization: `Bearer ${(await res.json()).token}`, origin: baseURL };
}

async function fileAs(request: APIRequestContext, headers: Record<string, string>, subject: string) {
  const res = await request.post("/api/v1/cases", {
    headers,
    data: { kind: "petition", subject, body: "Textul petiției, destul de lung pentru a fi primit.", consent_processing: true, confirm_repeat: true },
  });
  expect(res.status()).toBe(201);
  return (await res.json()) as { id: number; registration_number: string };
}

async function signIn(page: Page, email: string, next: string) {
  await page.goto(`/autentificare?next=${next}`);
  await page.getByLabel("Adresa de e-mail").fill(email);
  await page.getByLabel("Parola").fill("demo-password-1");
  await page.getByRole("button", { name: "Intrați în cont" }).click();
}

const status = (page: Page) => page.locator(".summary-list").first();

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

test("an officer claims, asks for information, extends, answers with a canned text and forwards", async ({ page, request, baseURL }) => {
  const errors = collectErrors(page);
  const citizen = await apiAs(request, baseURL!, "citizen@demo.petitio");
  const manager = await apiAs(request, baseURL!, "manager@demo.petitio");
  // The manager keeps a canned answer (the plain form's server function).
  const saved = await request.post("/api/save_canned_answer", {
    headers: { ...manager, referer: `${baseURL}/birou/raspunsuri-tip` },
    form: { title: "Remediere confirmată", body: "Am verificat la fața locului și am dispus remedierea." },
    maxRedirects: 0,
  });
  expect(saved.status()).toBeLessThan(400);
  const a = await fileAs(request, citizen, "Cantina socială: mâncarea vine rece");
  const b = await fileAs(request, citizen, "Recalcularea pensiei de invaliditate");

  await signIn(page, "officer@demo.petitio", `/cazuri/${a.id}`);
  await expect(page).toHaveURL(new RegExp(`/cazuri/${a.id}$`));
  await waitForHydration(page);
  // The terms with their computation, before anything else is done.
  await expect(page.locator(".terms")).toContainText("30 de zile calendaristice de la Înregistrare");
  await expectNoA11yViolations(page);

  // Claim.
  await page.getByRole("button", { name: "Preluare în examinare" }).click();
  await expect(status(page)).toContainText("În examinare");
  await expect(page.getByText("Acțiunea a fost înregistrată.")).toBeVisible();

  // Ask the petitioner: the answer term pauses.
  const ask = page.getByRole("form", { name: "Solicitare de informații" });
  await ask.getByLabel("Motivul").fill("Care este adresa cantinei?");
  await ask.getByRole("button", { name: "Solicitare de informații" }).click();
  await expect(status(page)).toContainText("Așteaptă informații de la petiționar");
  await expect(page.locator(".terms")).toContainText("Suspendat din");

  // The petitioner replies (over the API); the term runs again.
  const reply = await request.post(`/api/v1/cases/${a.id}/transitions`, { headers: citizen, data: { transition: "citizen_reply", note: "Str. Independenței 12." } });
  expect(reply.status()).toBe(200);
  await page.reload();
  await waitForHydration(page);
  await expect(page.locator(".terms")).toContainText("Suspendat de la");

  // Extend by 10 days, with the reason the petitioner is told.
  const extend = page.getByRole("form", { name: "Prelungirea termenului" });
  await extend.getByLabel("Motivul").fill("Este nevoie de o verificare la fața locului.");
  await extend.getByLabel("Cu câte zile").fill("10");
  await extend.getByRole("button", { name: "Prelungirea termenului" }).click();
  await expect(page.locator(".terms")).toContainText("Prelungit cu 10 zile");

  // Answer with the canned text, inserted in place.
  const answer = page.getByRole("form", { name: "Răspuns", exact: true });
  await answer.getByLabel("Răspuns-tip").selectOption({ label: "Remediere confirmată" });
  await answer.getByRole("button", { name: "Inserați textul" }).click();
  await expect(answer.getByLabel("Textul răspunsului")).toHaveValue("Am verificat la fața locului și am dispus remedierea.");
  await answer.getByLabel("admisă", { exact: true }).check();
  await expectNoA11yViolations(page);
  await screenshots(page, "officer-case");
  await answer.getByRole("button", { name: "Răspuns", exact: true }).click();
  await expect(status(page)).toContainText("Răspuns dat");
  await expect(page.locator(".case-answer")).toContainText("Am verificat la fața locului și am dispus remedierea.");

  // Not ours to examine: forwarded to the competent authority.
  await page.goto(`/cazuri/${b.id}`);
  await waitForHydration(page);
  const forward = page.getByRole("form", { name: "Redirecționare către autoritatea competentă" });
  await forward.getByLabel("Autoritatea competentă").selectOption({ label: "Casa Națională de Asigurări Sociale" });
  await forward.getByLabel("Motivul (opțional)").fill("Pensiile sunt de competența CNAS.");
  await forward.getByRole("button", { name: "Redirecționare către autoritatea competentă" }).click();
  await expect(status(page)).toContainText("Redirecționată");
  await expect(page.locator(".timeline")).toContainText("Casa Națională de Asigurări Sociale");
  expect(errors).toEqual([]);
});

test("without JavaScript, an officer claims a case and a stale form is refused with the fresh state", async ({ browser, request, baseURL }) => {
  const citizen = await apiAs(request, baseURL!, "citizen@demo.petitio");
  const manager = await apiAs(request, baseURL!, "manager@demo.petitio");
  const c = await fileAs(request, citizen, "Transport social pentru o persoană cu dizabilități");
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await signIn(page, "officer@demo.petitio", `/cazuri/${c.id}`);
  await expect(page).toHaveURL(new RegExp(`/cazuri/${c.id}$`));
  // Meanwhile the manager transfers the case: the page the officer holds is stale.
  const departments = await request.get(`/api/v1/cases/${c.id}`, { headers: manager });
  const other = ((await departments.json()).staff.departments as { value: string; label: string }[])
    .find((d) => d.label.includes("Botanica"))!;
  const moved = await request.post(`/api/v1/cases/${c.id}/transitions`, { headers: manager, data: { transition: "transfer", department_id: Number(other.value) } });
  expect(moved.status()).toBe(200);
  await page.getByRole("button", { name: "Preluare în examinare" }).click();
  await expect(page.getByText("Altcineva a modificat cazul între timp.")).toBeVisible();
  await expect(page.locator(".summary-list").nth(1)).toContainText("Botanica");
  // On the fresh page, the claim goes through.
  await page.getByRole("button", { name: "Preluare în examinare" }).click();
  await expect(page.getByText("Acțiunea a fost înregistrată.")).toBeVisible();
  await expect(status(page)).toContainText("În examinare");
  await context.close();
});

test("a manager assigns in bulk from the queue and an officer registers a paper petition", async ({ page, request, baseURL }) => {
  const citizen = await apiAs(request, baseURL!, "citizen@demo.petitio");
  const one = await fileAs(request, citizen, "Îngrijire la domiciliu pentru mama mea");
  const two = await fileAs(request, citizen, "Cantina socială: program de lucru");
  await signIn(page, "manager@demo.petitio", "/birou?view=unassigned");
  await waitForHydration(page);
  await page.getByLabel(`Alegeți cazul ${one.registration_number}`).check();
  await page.getByLabel(`Alegeți cazul ${two.registration_number}`).check();
  await page.getByLabel("Executorul").selectOption({ label: "Olga Ceban" });
  await expectNoA11yViolations(page);
  await page.getByRole("button", { name: "Repartizați cazurile alese" }).click();
  await expect(page.getByText("Repartizate: 2")).toBeVisible();

  // A petition handed in at the registry, typed in by an officer.
  await page.goto("/birou/inregistrare");
  await waitForHydration(page);
  await page.getByLabel("Cum a sosit").selectOption({ label: "pe hârtie, la registratură" });
  await page.getByLabel("Numele petiționarului").fill("Vasile Rusu");
  await page.getByLabel("Subiectul").fill("Iluminatul din scara blocului");
  await page.getByLabel("Textul petiției").fill("Becurile din scara blocului nu au fost schimbate de o lună.");
  await expectNoA11yViolations(page);
  await page.getByRole("button", { name: "Înregistrați petiția" }).click();
  await expect(page).toHaveURL(/\/cazuri\/\d+\?nou=1$/);
  await expect(page.locator(".panel-confirmation")).toContainText("CHI-");
  await expect(page.locator(".summary-list").nth(1)).toContainText("pe hârtie, la registratură");
});

test("an administrator reads the outbox, filtered by status", async ({ page }) => {
  await signIn(page, "admin@demo.petitio", "/admin/posta");
  await expect(page).toHaveURL(/\/admin\/posta$/);
  await waitForHydration(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Poșta trimisă");
  // Earlier tests filed cases: their receipts are here.
  await expect(page.getByRole("table")).toContainText("case_registered");
  await expectNoA11yViolations(page);
  await page.getByLabel("Starea").selectOption({ index: 3 });
  await page.getByRole("button", { name: "Aplicați filtrele" }).click();
  await expect(page).toHaveURL(/stare=sent/);
  await expect(page.getByRole("table")).toContainText("trimis");
});
