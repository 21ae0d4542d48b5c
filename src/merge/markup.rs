//! The light markup a letter body is written in: paragraphs split by blank lines, line breaks
//! kept, `**bold**` and `*italic*`. Merged contact data is escaped on the way in (`\*`), so a
//! name with an asterisk never turns a paragraph bold.

use super::fonts::Face;

/// A run of text in one face.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    pub face: Face,
    pub text: String,
}

/// A paragraph: its hard lines, each a sequence of spans, and how many blank lines stood
/// before it (more than one leaves room, e.g. for a signature).
#[derive(Debug, Clone, PartialEq)]
pub struct Paragraph {
    pub blank_lines_before: usize,
    pub lines: Vec<Vec<Span>>,
}

pub fn paragraphs(text: &str) -> Vec<Paragraph> {
    let text = text.replace("\r\n", "\n");
    let mut out = Vec::new();
    let mut current = Paragraph { blank_lines_before: 0, lines: Vec::new() };
    for line in text.split('\n') {
        if !line.trim().is_empty() {
            current.lines.push(spans(line.trim_end()));
        } else if current.lines.is_empty() {
            current.blank_lines_before += 1;
        } else {
            out.push(std::mem::replace(&mut current, Paragraph { blank_lines_before: 1, lines: Vec::new() }));
        }
    }
    if !current.lines.is_empty() {
        out.push(current);
    }
    out
}

/// Escapes text so it prints literally inside a body (used for merged values).
pub fn escape(text: &str) -> String {
    text.replace('\\', "\\\\").replace('*', "\\*")
}

/// Splits one line at `**` and `*` toggles; a backslash makes the next character literal.
fn spans(line: &str) -> Vec<Span> {
    let (mut bold, mut italic) = (false, false);
    let mut out: Vec<Span> = Vec::new();
    let mut text = String::new();
    let mut chars = line.chars().peekable();
    let flush = |text: &mut String, out: &mut Vec<Span>, face| {
        if !text.is_empty() {
            out.push(Span { face, text: std::mem::take(text) });
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '\\' => text.push(chars.next().unwrap_or('\\')),
            '*' => {
                flush(&mut text, &mut out, Face::with(bold, italic));
                if chars.peek() == Some(&'*') {
                    chars.next();
                    bold = !bold;
                } else {
                    italic = !italic;
                }
            }
            c => text.push(c),
        }
    }
    flush(&mut text, &mut out, Face::with(bold, italic));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(face: Face, text: &str) -> Span {
        Span { face, text: text.into() }
    }

    #[test]
    fn paragraphs_and_line_breaks() {
        let p = paragraphs("Dear Ann,\n\nThank you.\nSee you soon.\n\n\nBest,\nBo\n");
        assert_eq!(p.len(), 3);
        assert_eq!(p[1].lines.len(), 2, "a single newline is a line break inside the paragraph");
        assert_eq!(p[2].lines[1], vec![span(Face::Regular, "Bo")]);
        assert_eq!(p.iter().map(|p| p.blank_lines_before).collect::<Vec<_>>(), [0, 1, 2]);
    }

    #[test]
    fn bold_italic_and_escapes() {
        let p = paragraphs("A **bold *and italic*** word, 2 \\* 3");
        assert_eq!(
            p[0].lines[0],
            vec![
                span(Face::Regular, "A "),
                span(Face::Bold, "bold "),
                span(Face::BoldItalic, "and italic"),
                span(Face::Regular, " word, 2 * 3"),
            ]
        );
    }

    #[test]
    fn escaped_values_print_literally() {
        let name = escape("*Star* \\o/");
        assert_eq!(paragraphs(&format!("Hi {name}"))[0].lines[0], vec![span(Face::Regular, "Hi *Star* \\o/")]);
    }
}
