//! A built document written out: PDF (`printpdf`), DOCX (`docx-rs`), CSV (`csv`), and
//! the submission package as one ZIP (`zip`).

use super::*;

/// Writes `doc` in `format`. CSV takes the document's first table.
pub fn render(doc: &Document, format: Format) -> ApiResult<Vec<u8>> {
    match format {
        Format::Pdf => Ok(pdf(doc)),
        Format::Docx => docx(doc),
        Format::Csv => csv(doc),
    }
}

/// A cell that a spreadsheet would run as a formula is written as text.
pub(super) fn csv_safe(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{s}") } else { s.to_owned() }
}

pub(super) fn csv(doc: &Document) -> ApiResult<Vec<u8>> {
    let Some(Block::Table { headers, rows }) = doc.blocks.iter().find(|b| matches!(b, Block::Table { .. })) else {
        return Err(ApiError::invalid("format", "This document has no table to export as CSV"));
    };
    let mut w = ::csv::Writer::from_writer(Vec::new());
    w.write_record(headers).map_err(ApiError::internal)?;
    for r in rows {
        w.write_record(r.iter().map(|c| csv_safe(c))).map_err(ApiError::internal)?;
    }
    w.into_inner().map_err(|e| ApiError::Internal(e.to_string().into()))
}

pub(super) fn docx(doc: &Document) -> ApiResult<Vec<u8>> {
    use docx_rs::{Docx, Paragraph, Run, Style, StyleType, Table, TableCell, TableRow};
    let mut d = Docx::new()
        .add_style(Style::new("Title", StyleType::Paragraph).name("Title").size(36).bold())
        .add_style(Style::new("Heading1", StyleType::Paragraph).name("Heading 1").size(28).bold())
        .add_paragraph(Paragraph::new().style("Title").add_run(Run::new().add_text(&doc.title)));
    for b in &doc.blocks {
        d = match b {
            Block::Heading(t) => d.add_paragraph(Paragraph::new().style("Heading1").add_run(Run::new().add_text(t))),
            Block::Paragraph(t) => {
                let mut p = Paragraph::new();
                for (k, line) in t.lines().enumerate() {
                    let run = if k == 0 { Run::new() } else { Run::new().add_break(docx_rs::BreakType::TextWrapping) };
                    p = p.add_run(run.add_text(line));
                }
                d.add_paragraph(p)
            }
            Block::Table { headers, rows } => {
                let cell = |t: &str, bold: bool| {
                    let run = Run::new().add_text(t).size(16);
                    TableCell::new().add_paragraph(Paragraph::new().add_run(if bold { run.bold() } else { run }))
                };
                let mut table_rows = vec![TableRow::new(headers.iter().map(|h| cell(h, true)).collect())];
                table_rows.extend(rows.iter().map(|r| TableRow::new(r.iter().map(|c| cell(c, false)).collect())));
                d.add_table(Table::new(table_rows))
            }
        };
    }
    let mut out = Cursor::new(Vec::new());
    d.build().pack(&mut out).map_err(ApiError::internal)?;
    Ok(out.into_inner())
}

/// Lays the document out on A4 pages in the standard Helvetica faces. The standard
/// faces carry Windows-1252 only: other characters are written as "?".
pub(super) fn pdf(doc: &Document) -> Vec<u8> {
    use printpdf::{BuiltinFont, Mm, Op, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, TextItem};
    const TOP: f32 = 280.0;
    const BOTTOM: f32 = 18.0;
    const LEFT: f32 = 18.0;
    const WIDTH_MM: f32 = 174.0;
    struct Line {
        bold: bool,
        size: f32,
        text: String,
        gap_before: f32,
    }
    let wrap = |text: &str, size: f32| -> Vec<String> {
        // Helvetica averages about half an em per character.
        let per_line = ((WIDTH_MM / 0.3528) / (size * 0.5)).floor().max(20.0) as usize;
        let mut out = Vec::new();
        for raw in text.lines() {
            let mut line = String::new();
            for word in raw.split_whitespace() {
                if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > per_line {
                    out.push(std::mem::take(&mut line));
                }
                if !line.is_empty() {
                    line.push(' ');
                }
                line.push_str(word);
            }
            out.push(line);
        }
        out
    };
    let mut lines = Vec::new();
    let mut push = |bold: bool, size: f32, text: &str, gap: f32| {
        for (k, l) in wrap(text, size).into_iter().enumerate() {
            lines.push(Line { bold, size, text: l, gap_before: if k == 0 { gap } else { 0.0 } });
        }
    };
    push(true, 16.0, &doc.title, 0.0);
    for b in &doc.blocks {
        match b {
            Block::Heading(t) => push(true, 12.0, t, 4.0),
            Block::Paragraph(t) => push(false, 10.0, t, 2.0),
            Block::Table { headers, rows } => {
                push(true, 8.0, &headers.join(" | "), 2.0);
                for r in rows {
                    push(false, 8.0, &r.join(" | "), 1.5);
                }
            }
        }
    }
    let mut pages = Vec::new();
    let mut ops = Vec::new();
    let mut y = TOP;
    let latin1 =
        |s: &str| s.chars().map(|c| if (c as u32) < 256 || "€‘’“”–—…•".contains(c) { c } else { '?' }).collect();
    for l in lines {
        let height = l.size * 0.3528 * 1.3 + l.gap_before;
        if y - height < BOTTOM {
            pages.push(PdfPage::new(Mm(210.0), Mm(297.0), std::mem::take(&mut ops)));
            y = TOP;
        }
        y -= height;
        let font = if l.bold { BuiltinFont::HelveticaBold } else { BuiltinFont::Helvetica };
        ops.extend([
            Op::StartTextSection,
            Op::SetTextCursor { pos: Point::new(Mm(LEFT), Mm(y)) },
            Op::SetFont { font: PdfFontHandle::Builtin(font), size: Pt(l.size) },
            Op::ShowText { items: vec![TextItem::Text(latin1(&l.text))] },
            Op::EndTextSection,
        ]);
    }
    pages.push(PdfPage::new(Mm(210.0), Mm(297.0), ops));
    PdfDocument::new(&doc.title).with_pages(pages).save(&PdfSaveOptions::default(), &mut Vec::new())
}

/// The documents as PDF files in a ZIP archive, under a folder named after the review.
pub(super) fn zip_of(reference: &str, docs: &[(String, Document)]) -> ApiResult<Vec<u8>> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let folder: String = reference.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
    for (name, doc) in docs {
        zip.start_file(format!("{folder}/{name}"), options).map_err(ApiError::internal)?;
        zip.write_all(&pdf(doc)).map_err(ApiError::internal)?;
    }
    Ok(zip.finish().map_err(ApiError::internal)?.into_inner())
}
