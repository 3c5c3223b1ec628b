import { test, expect, type Page } from "@playwright/test";
import { collectErrors, expectNoA11yViolations, waitForHydration, screenshots } from "./support";

/** What the citizen writes about themselves: none of it may reach the public pages. */
const PERSONAL = ["Popescu", "2002001234567", "069 123 456", "ion.popescu@example.md", "Trandafirilor"];

async function signIn(page: Page, email: string, next: string) {
  await page.goto(`/autentificare?next=${next}`);
  await page.getByLabel("Adresa de e-mail").fill(email);
  await page.getByLabel("Parola").fill("demo-password-1");
  await page.getByRole("button", { name: "Intrați în cont" }).click();
}

test("an officer publishes a redacted case and the public page shows the markers", async ({ page, request, baseURL }) => {
  const errors = collectErrors(page);
  // The demo citizen (Ion Popescu) files over the API, consenting to publication.
  const login = await request.post("/api/v1/auth/login", {
    data: { email: "citizen@demo.petitio", password: "demo-password-1" },
    headers: { origin: baseURL! },
  });
  const citizen = { authorization: `Bearer ${(await login.json()).token}`, origin: baseURL! };
  const filed = await request.post("/api/v1/cases", {
    headers: citizen,
    data: {
      kind: "petition",
      subject: "Iluminat stradal: sesizarea lui Ion Popescu",
      body:
        "Sunt Ion Popescu, IDNP 2002001234567, locuiesc pe str. Trandafirilor 7, ap. 3. Lămpile de pe stradă " +
        "nu funcționează de o lună. Telefon 069 123 456, e-mail ion.popescu@example.md.",
      consent_processing: true,
      consent_publish: true,
      confirm_repeat: true,
    },
  });
  expect(filed.status()).toBe(201);
  const { id } = (await filed.json()) as { id: number };

  // The officer opens the case: its publication section offers to prepare the publication.
  await signIn(page, "officer@demo.petitio", `/cazuri/${id}`);
  await expect(page).toHaveURL(new RegExp(`/cazuri/${id}$`));
  await waitForHydration(page);
  const section = page.locator("section.publication");
  await expect(section).toContainText("Petiționarul a consimțit la publicarea");
  await section.getByRole("link", { name: "Pregătiți publicarea" }).click();

  // The redaction page: each piece found is highlighted and ticked.
  await expect(page).toHaveURL(new RegExp(`/cazuri/${id}/publicare$`));
  await waitForHydration(page);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Publicarea cazului");
  await expect(page.locator("mark.personal-data", { hasText: "2002001234567" })).toBeVisible();
  await expect(page.getByLabel("Eliminați „2002001234567” (IDNP)")).toBeChecked();
  await expect(page.getByLabel("Eliminați „069 123 456” (telefon)")).toBeChecked();
  await expect(page.getByLabel("Eliminați „ion.popescu@example.md” (e-mail)")).toBeChecked();
  await expect(page.getByLabel("Eliminați „str. Trandafirilor 7, ap. 3” (adresă)")).toBeChecked();
  await expectNoA11yViolations(page);
  await screenshots(page, "publication-draft");

  // A word named by hand, previewed, then published.
  await page.getByLabel("Alte texte de eliminat (opțional)").fill("Lămpile");
  await page.getByRole("button", { name: "Previzualizați" }).click();
  await expect(page).toHaveURL(/extra=L/);
  await expect(page.getByLabel("Eliminați „Lămpile” (adăugat de mână)")).toBeChecked();
  await expect(page.locator("mark.personal-data", { hasText: "Lămpile" })).toBeVisible();
  await page.getByRole("button", { name: "Publicați" }).click();
  await expect(page).toHaveURL(new RegExp(`/cazuri/${id}\\?publicat=1`));
  await expect(page.getByText("Cazul a fost publicat fără datele personale.")).toBeVisible();
  await expect(page.locator("section.publication")).toContainText("date personale eliminate: 7");

  await expect(page.locator("section.publication").getByRole("link", { name: "Pagina publică a cazului" })).toHaveAttribute(
    "href",
    `/publicate/${id}`,
  );

  // The public page, as a visitor reads it: markers where the personal data was, nothing of it
  // in the HTML (the page and the data it hydrates from).
  await page.context().clearCookies();
  await page.goto(`/publicate/${id}`);
  await waitForHydration(page);
  await expect(page.locator(".case-body .redacted").first()).toHaveText("[date personale eliminate]");
  await expect(page.locator(".case-body")).toContainText("de pe stradă nu funcționează de o lună");
  const html = await page.content();
  for (const personal of [...PERSONAL, "Lămpile"]) expect(html).not.toContain(personal);
  await expectNoA11yViolations(page);
  await screenshots(page, "publication-public");

  // The public list, searched by a word of the redacted text.
  await page.goto("/publicate?q=functioneaza");
  await expect(page.getByRole("link", { name: /Iluminat stradal/ })).toBeVisible();
  expect(await page.content()).not.toContain("Popescu");
  await expectNoA11yViolations(page);

  // The privacy notice, linked from the footer.
  await page.getByRole("contentinfo").getByRole("link", { name: "Confidențialitate și date personale" }).click();
  await expect(page).toHaveURL(/\/confidentialitate$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Confidențialitate și date personale");
  await expectNoA11yViolations(page);
  expect(errors).toEqual([]);
});

for (const lang of ["ro", "ru", "en"]) {
  test(`the privacy notice and the published cases pass axe-core in ${lang}`, async ({ page, context, baseURL }) => {
    await context.addCookies([{ name: "petitio_lang", value: lang, url: baseURL! }]);
    for (const path of ["/confidentialitate", "/publicate", "/publicate?q=nimic"]) {
      await page.goto(path);
      await waitForHydration(page);
      await expectNoA11yViolations(page);
    }
  });
}
