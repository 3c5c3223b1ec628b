import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";
import * as fs from "node:fs";
import * as path from "node:path";

/** WCAG 2.1 A and AA rules: the EU public-sector standard (EN 301 549). */
export const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/** Runs axe-core on the page and fails with a readable list of every violation. */
export async function expectNoA11yViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  const summary = results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.map((n) => n.target.join(" ")).join("\n  ")}`,
  );
  expect(summary, `axe-core violations on ${page.url()}`).toEqual([]);
  // Guard against an empty run: axe must have checked something on a real page.
  expect(results.passes.length).toBeGreaterThan(10);
}

/** Waits until the WASM application has hydrated the server-rendered page. The first page of a
 * run compiles the debug build's WASM (about 36 MB): on two busy cores that alone took over the
 * default 10 s once in CI, so hydration gets 45 s; a page that never hydrates still fails. */
export async function waitForHydration(page: Page): Promise<void> {
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true", { timeout: 45_000 });
}

export const ARTIFACTS = path.join(__dirname, "..", "artifacts");

/** Full-page screenshots at phone and desktop widths, kept as test artefacts. */
export async function screenshots(page: Page, name: string): Promise<void> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  for (const width of [360, 1280]) {
    await page.setViewportSize({ width, height: 800 });
    await page.screenshot({ path: path.join(ARTIFACTS, `${name}-${width}.png`), fullPage: true });
  }
}

/** Collects console errors and uncaught exceptions (a hydration panic shows up here). */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(`console: ${msg.text()}`);
  });
  page.on("pageerror", (err) => errors.push(`page error: ${err.message}`));
  return errors;
}

/** A mail as the test SMTP server received it. */
export interface Mail {
  to: string;
  subject: string;
  text: string;
  messageId: string;
}

/** Every mail the test SMTP server (a Maildir, see .ci/e2e) received so far. */
async function allMails(): Promise<Mail[]> {
  const { simpleParser } = await import("mailparser");
  const dir = process.env.SMTP_MAILDIR;
  if (!dir) throw new Error("SMTP_MAILDIR is not set: run the end-to-end tests through .ci/e2e");
  const files = ["new", "cur"].flatMap((sub) => {
    const d = path.join(dir, sub);
    return fs.existsSync(d) ? fs.readdirSync(d).map((f) => path.join(d, f)) : [];
  });
  const mails: Mail[] = [];
  for (const file of files) {
    const parsed = await simpleParser(fs.readFileSync(file));
    const to = Array.isArray(parsed.to) ? parsed.to.map((a) => a.text).join(", ") : (parsed.to?.text ?? "");
    mails.push({ to, subject: parsed.subject ?? "", text: parsed.text ?? "", messageId: parsed.messageId ?? "" });
  }
  return mails;
}

/** Waits for the mails to `to` whose subject matches, delivered over SMTP. */
export async function mailsTo(to: string, subject: RegExp, count = 1): Promise<Mail[]> {
  let found: Mail[] = [];
  await expect(async () => {
    found = (await allMails()).filter((m) => m.to.includes(to) && subject.test(m.subject));
    expect(found.length, `mails to ${to} with subject ${subject}`).toBeGreaterThanOrEqual(count);
  }).toPass({ timeout: 20_000 });
  return found;
}

/** The first link in a mail's text that matches `pattern`, as a path on this site. */
export function linkIn(mail: Mail, pattern: RegExp): string {
  const link = mail.text.match(/https?:\/\/\S+/g)?.find((l) => pattern.test(l));
  if (!link) throw new Error(`no link matching ${pattern} in:\n${mail.text}`);
  const url = new URL(link);
  return url.pathname + url.search;
}
