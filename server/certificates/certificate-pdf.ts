import PDFDocument from 'pdfkit';
import { registerPdfFonts } from '../shared/pdf-fonts.ts';

export interface CertificateSection {
  heading?: string;
  rows: Array<[label: string, value: string]>;
}

export interface CertificateDocument {
  title: string;
  subtitle: string;
  number: string;
  sections: CertificateSection[];
  footer: string;
}

const beijingTime = (iso: string) =>
  new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });

export { beijingTime };

/** Renders a certificate as an A4 PDF with embedded CJK fonts. */
export function renderCertificatePdf(doc: CertificateDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const pdf = new PDFDocument({ size: 'A4', margin: 56, info: { Title: `${doc.title} ${doc.number}`, Author: 'EcoRights Exchange 生态权益指标交易平台' } });
    const chunks: Buffer[] = [];
    pdf.on('data', (c: Buffer) => chunks.push(c));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
    registerPdfFonts(pdf);

    const width = pdf.page.width - 112;
    pdf.font('bold').fontSize(20).text(doc.title, { align: 'center' });
    pdf.font('regular').fontSize(10).fillColor('#555').text(doc.subtitle, { align: 'center' });
    pdf.moveDown(0.5).fillColor('#000').fontSize(10).text(`编号 No. ${doc.number}`, { align: 'right' });
    pdf.moveTo(56, pdf.y + 4).lineTo(56 + width, pdf.y + 4).strokeColor('#1f5f3f').lineWidth(1.5).stroke();
    pdf.moveDown(1);
    for (const section of doc.sections) {
      if (section.heading) pdf.font('bold').fontSize(12).fillColor('#1f5f3f').text(section.heading).moveDown(0.3);
      for (const [label, value] of section.rows) {
        const y = pdf.y;
        pdf.font('regular').fontSize(10).fillColor('#555').text(label, 56, y, { width: 150 });
        pdf.font('regular').fontSize(10).fillColor('#000').text(value, 210, y, { width: width - 154 });
        pdf.moveDown(0.4);
      }
      pdf.moveDown(0.6);
    }
    pdf.moveDown(1).font('regular').fontSize(9).fillColor('#555').text(doc.footer, 56, pdf.y, { width });
    pdf.end();
  });
}
