#!/usr/bin/env node
// parse.js: parse an X12 or EDIFACT file with an independent parser from the
// npm registry (node-x12, edifact) and print what THAT library read, as JSON.
//
//   node parse.js x12|edifact FILE
//
// Output: a list of interchanges, each
//   {header: SEG, trailer: SEG, groups: [{header: SEG|null, trailer: SEG|null,
//    transactions: [{header: SEG, trailer: SEG, segments: [SEG…]}]}]}
// where SEG is {tag, elements: [[component…]…]} and "segments" holds the body
// between ST/SE (UNH/UNT). Element i+1 is elements[i].
//
// dealerhub's tests (cmd/dealerhub/edinpm_test.go) run this to cross-check
// the EDI the hub writes; it is test tooling, not part of dealerhub. On a
// parse failure it prints the library's error message to stderr and exits 1;
// a usage error exits 2.
'use strict'

const fs = require('fs')

function usage (message) {
  process.stderr.write(`${message}\nusage: node parse.js x12|edifact FILE\n`)
  process.exit(2)
}

// x12Segment turns a node-x12 X12Segment into {tag, elements}. node-x12 keeps
// each element as one string; it detects the component separator (ISA16)
// but does not split on it, so the split here uses the separator that
// node-x12 detected. ISA's own elements are never split (ISA16 IS the
// separator).
function x12Segment (seg, componentSeparator) {
  if (seg === undefined || seg === null) return null
  const split = seg.tag !== 'ISA' && componentSeparator !== ''
  return {
    tag: seg.tag,
    elements: seg.elements.map(el => split ? el.value.split(componentSeparator) : [el.value])
  }
}

function parseX12 (text) {
  const { X12Parser } = require('node-x12')
  // strict: node-x12 throws on count and control-number mismatches (SE01,
  // SE02, GE01, GE02, IEA01, IEA02) and segments outside their envelope.
  const parser = new X12Parser(true)
  const parsed = parser.parse(text)
  if (parser.diagnostics.length > 0) {
    throw new Error(parser.diagnostics.map(d => d.message).join('; '))
  }
  // A file with several ISAs comes back as an X12FatInterchange (an Array
  // subclass whose map would build another one); copy it to a plain array.
  const interchanges = Array.isArray(parsed.interchanges) ? Array.from(parsed.interchanges) : [parsed]
  return interchanges.map(ic => {
    const sep = ic.options.subElementDelimiter
    const seg = s => x12Segment(s, sep)
    return {
      header: seg(ic.header),
      trailer: seg(ic.trailer),
      groups: ic.functionalGroups.map(g => ({
        header: seg(g.header),
        trailer: seg(g.trailer),
        transactions: g.transactions.map(t => ({
          header: seg(t.header),
          trailer: seg(t.trailer),
          segments: t.segments.map(seg)
        }))
      }))
    }
  })
}

// edifactSegments reads the file with edifact's Parser and Validator (the
// library's own segment and element definitions, the encoding level taken
// from UNB S001 as its Reader does) and returns the flat segment list.
//
// The library reads a UNA only when its position 7 (the repetition
// separator of syntax version 4, reserved in version 3) is a space, and
// otherwise takes "UNA" for a segment tag and fails. So parse.js reads the
// six service characters of any UNA itself and hands them to the library's
// documented Parser.configure; everything after the nine UNA characters is
// the library's to tokenize. The library has no repetition separator: an
// unreleased one is read as data, so a test comparing values will notice.
function edifactSegments (text) {
  const { Parser, Validator } = require('edifact')
  const validator = new Validator()
  validator.define(require('edifact/segments.js'))
  validator.define(require('edifact/elements.js'))
  const parser = new Parser(validator)
  if (text.startsWith('\ufeff')) text = text.slice(1)
  if (text.startsWith('UNA') && text.length >= 9) {
    parser.configure({
      componentDataSeparator: text.charCodeAt(3),
      dataElementSeparator: text.charCodeAt(4),
      decimalMark: text.charCodeAt(5),
      // A space means "no release character"; the library always has
      // one, so it gets U+FFFF, which no interchange carries.
      releaseCharacter: text.charAt(6) === ' ' ? 0xffff : text.charCodeAt(6),
      segmentTerminator: text.charCodeAt(8)
    })
    text = text.slice(9).replace(/^[\r\n]+/, '')
  }
  const segments = []
  let elements, components
  let syntaxIdentifier = false
  parser.onopensegment = function (tag) {
    syntaxIdentifier = tag === 'UNB'
    segments.push({ tag, elements: elements = [] })
  }
  parser.onelement = function () {
    elements.push(components = [])
  }
  parser.oncomponent = function (value) {
    if (syntaxIdentifier) {
      this.encoding(value)
      syntaxIdentifier = false
    }
    components.push(value)
  }
  parser.write(text)
  parser.end()
  return segments
}

// parseEDIFACT groups the flat segment list into envelopes. The library
// has no envelope model; the grouping here only follows the service
// segments' order and reports a segment outside its envelope as an error.
function parseEDIFACT (text) {
  const segments = edifactSegments(text)
  const out = []
  let ic = null
  let group = null
  let msg = null
  const fail = (i, what) => {
    throw new Error(`segment ${i + 1} (${segments[i].tag}): ${what}`)
  }
  segments.forEach((s, i) => {
    switch (s.tag) {
      case 'UNB':
        if (ic !== null) fail(i, 'UNB before the previous UNZ')
        ic = { header: s, trailer: null, groups: [] }
        out.push(ic)
        break
      case 'UNZ':
        if (ic === null || msg !== null || (group !== null && group.header !== null)) fail(i, 'UNZ outside an interchange or inside a group or message')
        ic.trailer = s
        ic = null
        group = null
        break
      case 'UNG':
        if (ic === null || msg !== null || (group !== null && group.header !== null)) fail(i, 'UNG outside an interchange or inside a group or message')
        group = { header: s, trailer: null, transactions: [] }
        ic.groups.push(group)
        break
      case 'UNE':
        if (group === null || group.header === null || msg !== null) fail(i, 'UNE without UNG or inside a message')
        group.trailer = s
        group = null
        break
      case 'UNH':
        if (ic === null || msg !== null) fail(i, 'UNH outside an interchange or inside a message')
        if (group === null) {
          // Messages without UNG/UNE: one implicit group with no header.
          group = { header: null, trailer: null, transactions: [] }
          ic.groups.push(group)
        }
        msg = { header: s, trailer: null, segments: [] }
        group.transactions.push(msg)
        break
      case 'UNT':
        if (msg === null) fail(i, 'UNT without UNH')
        msg.trailer = s
        msg = null
        break
      default:
        if (msg === null) fail(i, 'segment outside a message')
        msg.segments.push(s)
    }
  })
  if (ic !== null || msg !== null) throw new Error('interchange not closed (missing UNT or UNZ)')
  return out
}

function main () {
  const [standard, file] = process.argv.slice(2)
  if (file === undefined) usage('missing arguments')
  let text
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch (err) {
    usage(`reading ${file}: ${err.message}`)
  }
  let result
  try {
    if (standard === 'x12') {
      result = parseX12(text)
    } else if (standard === 'edifact') {
      result = parseEDIFACT(text)
    } else {
      usage(`unknown standard ${JSON.stringify(standard)}`)
    }
  } catch (err) {
    process.stderr.write(`${standard}: ${err.message}\n`)
    process.exit(1)
  }
  process.stdout.write(JSON.stringify(result) + '\n')
}

main()
