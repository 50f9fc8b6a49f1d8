// The minutes as a DOCX, for the secretary to edit in a word processor: the same blocks as the
// PDF (shared/minutes-layout.ts) written as WordprocessingML by hand — a dozen small XML parts,
// zipped by core/zip-writer.ts. Times New Roman 13 pt, as offices set a biên bản (every Word has it, and it
// carries Vietnamese); A4 with the Nghị định 30 margins; the page number at the top centre from
// page 2 (a PAGE field in a header the first page does not show); table headers repeat.
import { layoutMinutes, type Block, type MastLine, type Run } from '../../../shared/minutes-layout.ts';
import type { MinutesLang, MinutesModel } from '../../../shared/minutes.ts';
import { minutesText } from '../../../shared/minutes-text.ts';
import { zipInMemory } from '../../core/zip-writer.ts';

const W_NS = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const R_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
// Twips (1/20 pt): A4, margins left 30 mm and 20 mm elsewhere.
const PAGE = { w: 11906, h: 16838, left: 1701, right: 1134, top: 1134, bottom: 1134 };
const TEXT_W = PAGE.w - PAGE.left - PAGE.right;
const INDENT = 567;

/** Text as XML character data: escaped, and without the control characters XML 1.0 forbids. */
// eslint-disable-next-line no-control-regex
const esc = (s: string) => s.normalize('NFC').replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
  .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function run(r: Run, extra: { size?: number; underline?: boolean } = {}): string {
  // In the order WordprocessingML's schema sets for run properties (Word refuses some others).
  const props = [r.bold ? '<w:b/>' : '', r.italic ? '<w:i/>' : '', extra.size ? `<w:sz w:val="${extra.size * 2}"/>` : '', extra.underline ? '<w:u w:val="single"/>' : ''].join('');
  return `<w:r>${props ? `<w:rPr>${props}</w:rPr>` : ''}<w:t xml:space="preserve">${esc(r.text)}</w:t></w:r>`;
}

interface ParaOpts {
  align?: 'left' | 'center' | 'both';
  firstLine?: number;
  left?: number;
  right?: number;
  before?: number;
  after?: number;
  keepNext?: boolean;
  /** A short rule under the paragraph (its indents set its length). */
  rule?: boolean;
}

function para(runs: string, o: ParaOpts = {}): string {
  const ind = o.firstLine || o.left || o.right ? `<w:ind${o.left ? ` w:left="${o.left}"` : ''}${o.right ? ` w:right="${o.right}"` : ''}${o.firstLine ? ` w:firstLine="${o.firstLine}"` : ''}/>` : '';
  const spacing = o.before !== undefined || o.after !== undefined ? `<w:spacing w:before="${o.before ?? 0}" w:after="${o.after ?? 60}"/>` : '';
  const props = `${o.keepNext ? '<w:keepNext/>' : ''}${o.rule ? '<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="000000"/></w:pBdr>' : ''}${spacing}${ind}${o.align ? `<w:jc w:val="${o.align}"/>` : ''}`;
  return `<w:p>${props ? `<w:pPr>${props}</w:pPr>` : ''}${runs}</w:p>`;
}

function table(widths: number[], rows: string[][], opts: { borders: boolean; headerRows?: number }): string {
  const border = opts.borders ? 'single' : 'nil';
  const borders = ['top', 'left', 'bottom', 'right', 'insideH', 'insideV'].map((s) => `<w:${s} w:val="${border}" w:sz="4" w:space="0" w:color="000000"/>`).join('');
  const grid = widths.map((w) => `<w:gridCol w:w="${w}"/>`).join('');
  const body = rows.map((cells, ri) => {
    const header = ri < (opts.headerRows ?? 0) ? '<w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>' : '<w:trPr><w:cantSplit/></w:trPr>';
    return `<w:tr>${header}${cells.map((c, ci) => `<w:tc><w:tcPr><w:tcW w:w="${widths[ci]}" w:type="dxa"/></w:tcPr>${c || para('')}</w:tc>`).join('')}</w:tr>`;
  }).join('');
  return `<w:tbl><w:tblPr><w:tblW w:w="${widths.reduce((a, b) => a + b, 0)}" w:type="dxa"/><w:tblBorders>${borders}</w:tblBorders><w:tblLayout w:type="fixed"/>`
    + `<w:tblCellMar><w:left w:w="80" w:type="dxa"/><w:right w:w="80" w:type="dxa"/></w:tblCellMar></w:tblPr><w:tblGrid>${grid}</w:tblGrid>${body}</w:tbl>`;
}

function mastColumn(lines: readonly MastLine[], width: number): string {
  return lines.map((l) => {
    const size = 12;
    const text = para(l.runs.map((r) => run(r, { size, underline: l.rule === 'full' })).join(''), { align: 'center', after: 0 });
    // A short rule: an empty paragraph's bottom border, indented to a third of the column.
    return l.rule === 'short' ? text + para('', { align: 'center', after: 0, left: Math.round(width / 3), right: Math.round(width / 3), rule: true }) : text;
  }).join('');
}

function blockXml(b: Block): string {
  switch (b.kind) {
    case 'masthead': {
      const left = Math.round(TEXT_W * 0.44);
      const widths = [left, TEXT_W - left];
      return table(widths, [[mastColumn(b.left, widths[0]!), mastColumn(b.right, widths[1]!)]], { borders: false }) + para('', { after: 120 });
    }
    case 'title':
      return (b.draft ? para(run({ text: b.draft, bold: true }, { size: 11 }), { align: 'center', after: 60 }) : '')
        + para(run({ text: b.title, bold: true }, { size: 15 }), { align: 'center', after: 0, before: 120 })
        + para(run({ text: b.subtitle, bold: true }, { size: 14 }), { align: 'center', after: 240 });
    case 'heading':
      return para(run({ text: b.text, bold: true }), { align: 'left', before: 120, after: 60, keepNext: true });
    case 'para':
      return para(b.runs.map((r) => run(r)).join(''), { align: 'both', ...(b.indent ? { left: INDENT } : { firstLine: INDENT }), keepNext: b.keep === true });
    case 'table': {
      const widths = b.widths.map((f) => Math.round(f * TEXT_W));
      const cell = (text: string, bold: boolean, center: boolean) => text.split('\n').map((l) => para(run({ text: l, bold }, { size: 12 }), { align: center ? 'center' : 'left', after: 0 })).join('');
      const rows = [b.header.map((h) => cell(h, true, true)), ...b.rows.map((r) => r.map((c, i) => cell(c, false, i === 0)))];
      return table(widths, rows, { borders: true, headerRows: 1 }) + para('', { after: 60 });
    }
    case 'signatures': {
      const w = Math.round(TEXT_W / b.cols.length);
      const col = (c: (typeof b.cols)[number]) => para(run({ text: c.title, bold: true }), { align: 'center', after: 0, keepNext: true })
        + para(run({ text: c.note, italic: true }, { size: 11 }), { align: 'center', after: 0, keepNext: true })
        + [1, 2, 3, 4].map(() => para('', { after: 0, keepNext: true })).join('')
        + para(run({ text: c.name, bold: true }), { align: 'center', after: 0 });
      // A paragraph after the table too: the body then ends in one, as Word expects.
      return para('', { after: 120, keepNext: true }) + table(b.cols.map(() => w), [b.cols.map(col)], { borders: false }) + para('');
    }
  }
}

export interface DocxOptions {
  at: number;
}

export function minutesDocx(model: MinutesModel, lang: MinutesLang, opts: DocxOptions): Promise<Buffer> {
  const body = layoutMinutes(model, lang).map(blockXml).join('');
  const sect = `<w:sectPr><w:headerReference w:type="default" r:id="rId3"/><w:pgSz w:w="${PAGE.w}" w:h="${PAGE.h}"/>`
    + `<w:pgMar w:top="${PAGE.top}" w:right="${PAGE.right}" w:bottom="${PAGE.bottom}" w:left="${PAGE.left}" w:header="567" w:footer="567" w:gutter="0"/><w:titlePg/></w:sectPr>`;
  const document = `${XML_HEAD}<w:document xmlns:w="${W_NS}" xmlns:r="${R_NS}"><w:body>${body}${sect}</w:body></w:document>`;
  const langTag = lang === 'vi' ? 'vi-VN' : 'en-GB';
  const styles = `${XML_HEAD}<w:styles xmlns:w="${W_NS}"><w:docDefaults><w:rPrDefault><w:rPr>`
    + '<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:cs="Times New Roman" w:eastAsia="Times New Roman"/>'
    + `<w:sz w:val="26"/><w:szCs w:val="26"/><w:lang w:val="${langTag}"/></w:rPr></w:rPrDefault>`
    + '<w:pPrDefault><w:pPr><w:spacing w:after="60" w:line="288" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>'
    + '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style></w:styles>';
  const header = `${XML_HEAD}<w:hdr xmlns:w="${W_NS}"><w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:fldSimple w:instr=" PAGE "><w:r><w:t>2</w:t></w:r></w:fldSimple></w:p></w:hdr>`;
  const settings = `${XML_HEAD}<w:settings xmlns:w="${W_NS}"><w:defaultTabStop w:val="720"/><w:compat/></w:settings>`;
  const rels = (items: Array<[string, string, string]>) => `${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`
    + items.map(([id, type, target]) => `<Relationship Id="${id}" Type="${type}" Target="${target}"/>`).join('') + '</Relationships>';
  const iso = new Date(opts.at).toISOString().replace(/\.\d+Z$/, 'Z');
  const core = `${XML_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" `
    + 'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    + `<dc:title>${esc(`${minutesText(lang, 'title')} — ${model.meetingTitle}`)}</dc:title><dc:creator>Chamber</dc:creator><dc:language>${langTag}</dc:language>`
    + `<dcterms:created xsi:type="dcterms:W3CDTF">${iso}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${iso}</dcterms:modified></cp:coreProperties>`;
  const part = 'application/vnd.openxmlformats-officedocument.wordprocessingml';
  const types = `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">`
    + '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    + `<Override PartName="/word/document.xml" ContentType="${part}.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="${part}.styles+xml"/>`
    + `<Override PartName="/word/settings.xml" ContentType="${part}.settings+xml"/><Override PartName="/word/header1.xml" ContentType="${part}.header+xml"/>`
    + '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>';
  return zipInMemory([
    { name: '[Content_Types].xml', data: types },
    { name: '_rels/.rels', data: rels([['rId1', `${REL}/officeDocument`, 'word/document.xml'], ['rId2', 'http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties', 'docProps/core.xml']]) },
    { name: 'word/document.xml', data: document },
    { name: 'word/_rels/document.xml.rels', data: rels([['rId1', `${REL}/styles`, 'styles.xml'], ['rId2', `${REL}/settings`, 'settings.xml'], ['rId3', `${REL}/header`, 'header1.xml']]) },
    { name: 'word/styles.xml', data: styles },
    { name: 'word/settings.xml', data: settings },
    { name: 'word/header1.xml', data: header },
    { name: 'docProps/core.xml', data: core },
  ], new Date(opts.at));
}
