// The demo meeting's papers, made here with pdf-lib so the project ships no third-party PDFs.
// Text is set in DejaVu Sans (embedded, subset) so Vietnamese diacritics render and search right.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { PDFDocument, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import fontkit from '@pdf-lib/fontkit';

const require = createRequire(import.meta.url);

export interface DemoPaperSpec {
  title: string;
  fileName: string;
  lang: 'vi' | 'en';
  sections: Array<{ heading: string; body: string }>;
}

function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(/\s+/)) {
      const next = line ? `${line} ${word}` : word;
      if (font.widthOfTextAtSize(next, size) > width && line) {
        lines.push(line);
        line = word;
      } else line = next;
    }
    lines.push(line);
  }
  return lines;
}

export async function makeDemoPdf(spec: DemoPaperSpec, pagesWanted = 0): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkit);
  pdf.setTitle(spec.title);
  pdf.setLanguage(spec.lang === 'vi' ? 'vi-VN' : 'en-GB');
  pdf.setProducer('Chamber demo');
  pdf.setCreationDate(new Date(Date.UTC(2026, 0, 1)));
  pdf.setModificationDate(new Date(Date.UTC(2026, 0, 1)));
  const regular = await pdf.embedFont(fs.readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')), { subset: true });
  const bold = await pdf.embedFont(fs.readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf')), { subset: true });
  const [W, H, M] = [595, 842, 56];
  let page: PDFPage = pdf.addPage([W, H]);
  let y = H - M;
  let pageNo = 1;
  const footer = (p: PDFPage, n: number) =>
    p.drawText(`${spec.title} — ${spec.lang === 'vi' ? 'Trang' : 'Page'} ${n}`, { x: M, y: 30, size: 8, font: regular, color: rgb(0.4, 0.4, 0.4) });
  const newPage = () => {
    footer(page, pageNo);
    page = pdf.addPage([W, H]);
    pageNo++;
    y = H - M;
  };
  page.drawText(spec.title, { x: M, y, size: 20, font: bold, color: rgb(0.1, 0.15, 0.35) });
  y -= 40;
  for (const s of spec.sections) {
    if (y < 140) newPage();
    page.drawText(s.heading, { x: M, y, size: 13, font: bold });
    y -= 22;
    for (const line of wrap(s.body, regular, 11, W - 2 * M)) {
      if (y < 60) newPage();
      page.drawText(line, { x: M, y, size: 11, font: regular });
      y -= 16;
    }
    y -= 12;
  }
  while (pageNo < pagesWanted) {
    newPage();
    page.drawText(spec.lang === 'vi' ? `Phụ lục — trang ${pageNo}` : `Appendix — page ${pageNo}`, { x: M, y, size: 13, font: bold });
  }
  footer(page, pageNo);
  return await pdf.save();
}

export const DEMO_PAPERS: Record<string, DemoPaperSpec> = {
  budget: {
    title: 'Tờ trình ngân sách năm 2027',
    fileName: 'to-trinh-ngan-sach-2027.pdf',
    lang: 'vi',
    sections: [
      { heading: '1. Căn cứ', body: 'Căn cứ Luật Ngân sách nhà nước và kế hoạch phát triển kinh tế – xã hội giai đoạn 2026–2030, Ban Thư ký kính trình Hội đồng xem xét dự toán ngân sách năm 2027.' },
      { heading: '2. Tổng quan dự toán', body: 'Tổng thu dự kiến đạt 1.250 tỷ đồng, tăng 8,5% so với năm trước. Tổng chi dự kiến 1.180 tỷ đồng, trong đó chi đầu tư phát triển chiếm 35%, chi thường xuyên chiếm 60% và dự phòng ngân sách 5%.' },
      { heading: '3. Các ưu tiên', body: 'Ưu tiên đầu tư cho giáo dục, y tế cơ sở, chuyển đổi số trong cơ quan hành chính và cải tạo hệ thống thoát nước đô thị. Các khoản chi hội nghị, khánh tiết được cắt giảm 15%.' },
      { heading: '4. Đề nghị', body: 'Kính đề nghị Hội đồng thông qua dự toán ngân sách năm 2027 như đã trình bày, giao Ban Thư ký tổ chức thực hiện và báo cáo kết quả vào kỳ họp cuối năm.' },
    ],
  },
  minutes: {
    title: 'Biên bản cuộc họp tháng Mười',
    fileName: 'bien-ban-thang-10.pdf',
    lang: 'vi',
    sections: [
      { heading: 'Thành phần tham dự', body: 'Chủ tọa: ông Nguyễn Văn Đức. Thư ký: bà Trần Thị Hương. Các đại biểu: Lê Minh Tuấn, Phạm Thu Hà, Đặng Quốc Việt.' },
      { heading: 'Nội dung đã thống nhất', body: 'Hội đồng thống nhất điều chỉnh lịch họp định kỳ sang thứ Năm tuần đầu tiên của tháng; giao Ban Thư ký chuẩn bị tài liệu trước ít nhất năm ngày làm việc.' },
    ],
  },
  strategy: {
    title: 'Digital Strategy 2027–2030',
    fileName: 'digital-strategy-2027.pdf',
    lang: 'en',
    sections: [
      { heading: 'Summary', body: 'This paper proposes a four-year programme to move the council\'s meetings, records and public consultations to digital channels, with paperless meetings from the first quarter of 2027.' },
      { heading: 'Costs', body: 'Tablets for forty members and staff, a room hub per chamber and training amount to an estimated 2.1 million over four years, offset by printing and courier savings of 0.6 million a year.' },
      { heading: 'Risks', body: 'Network outages during meetings are mitigated by devices that keep every paper offline. Confidential papers are restricted to named members and never leave the hub unencrypted.' },
      { heading: 'Recommendation', body: 'The committee is asked to approve the programme and to delegate procurement to the secretariat within the stated budget.' },
    ],
  },
  report: {
    title: 'Quarterly Report Q3',
    fileName: 'quarterly-report-q3.pdf',
    lang: 'en',
    sections: [
      { heading: 'Highlights', body: 'Service requests resolved within target rose to 91%. Capital projects are on schedule except the river embankment, delayed by three weeks of flooding.' },
      { heading: 'Finance', body: 'Spending is 2% under the profiled budget. The variance is explained by vacancies in the planning department, now being filled.' },
    ],
  },
};
