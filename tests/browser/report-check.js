// report-check.js HTML SHOT: loads bootlog's report.html in headless
// Chromium (playwright-core driving Debian's /usr/bin/chromium), saves a
// screenshot to SHOT, hovers the first tooltip of every chart and prints,
// as JSON: the console errors, any request that left the file, the
// number of charts, each hovered tooltip's text, and the page's size.
// Run by tests/cli/report-browser.sh.
const { chromium } = require('playwright-core');

(async () => {
    const [html, shot] = process.argv.slice(2);
    const browser = await chromium.launch({
        executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
        // this machine's network is closed: Chromium's own connections are refused
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
               '--disable-component-update', '--disable-sync'],
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const out = { errors: [], requests: [], charts: 0, tips: [], width: 0, height: 0 };
    page.on('console', m => { if (m.type() === 'error') out.errors.push(m.text()); });
    page.on('pageerror', e => out.errors.push(String(e)));
    page.on('request', r => { if (!/^(file|data|about):/.test(r.url())) out.requests.push(r.url()); });
    await page.goto('file://' + html, { waitUntil: 'load' });
    await page.screenshot({ path: shot, fullPage: true });
    const size = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight]);
    [out.width, out.height] = size;
    const svgs = page.locator('figure svg');
    out.charts = await svgs.count();
    for (let i = 0; i < out.charts; i++) {
        const svg = svgs.nth(i);
        await svg.scrollIntoViewIfNeeded();
        // a tooltip's point: gnuplot's script moves its handlers off the
        // markup at load, leaving <g><title> </title><use .../></g>
        const target = svg.locator('g:has(> title) > use').first();
        await target.hover({ force: true });
        // gnuplot's script shows the text in the chart's own #hypertext element
        const tip = await svg.evaluate(s => {
            const t = s.querySelector('#hypertext');
            const box = s.querySelector('#hypertextbox');
            return { text: t ? t.textContent : null, shown: t ? getComputedStyle(t).visibility !== 'hidden' &&
                     t.getAttribute('visibility') !== 'hidden' : false, box: box ? box.getAttribute('visibility') : null };
        });
        out.tips.push(tip);
    }
    console.log(JSON.stringify(out));
    await browser.close();
})().catch(e => { console.error(String(e)); process.exit(1); });
