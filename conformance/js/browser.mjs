// Headless Chromium (Debian's `chromium`) for the browser tests, with the
// page's script errors and failed requests collected, so a test can say
// what went wrong in the page and not only that a selector never appeared.
import puppeteer from "puppeteer-core";

export async function launch() {
  return puppeteer.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    // Root (as in CI containers) cannot use Chromium's sandbox.
    args: ["--no-sandbox", "--disable-dev-shm-usage"],
  });
}

// A new page whose problems land in `problems`: uncaught exceptions, console
// errors and answers of status 400 and above, each as a line.
export async function watchedPage(browser, problems) {
  const page = await browser.newPage();
  await page.setViewport({width: 1280, height: 900});
  page.on("pageerror", e => problems.push("page error: " + e.message));
  // A page without an icon of its own (dynamodb-admin's) gets the browser's
  // guess at one refused; nothing on the page asked for it.
  const isIcon = url => url && new URL(url).pathname === "/favicon.ico";
  page.on("console", m => {
    if (m.type() === "error" && !isIcon(m.location().url))
      problems.push(`console: ${m.text()} (${m.location().url})`);
  });
  page.on("response", r => {
    if (isIcon(r.url())) return;
    if (r.status() >= 400) problems.push(`HTTP ${r.status()} for ${r.request().method()} ${r.url()}`);
  });
  return page;
}
