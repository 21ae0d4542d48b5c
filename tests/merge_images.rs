//! The sender's logo and signature (issue #4), from the file chosen to the printed page: files
//! checked and stored, placed by the layout, embedded once per PDF however many letters share
//! them, drawn in the SVG preview, and kept for re-prints. PDFs are read back with poppler
//! (pdfimages, pdftotext) and checked with qpdf. The fixtures come from
//! tests/fixtures/images/make.sh.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::AtomicBool;

use chrono::NaiveDate;
use common::{person, poppler, temp_store};
use rolodeck::contacts::{self, Address, Contact, ContactDraft};
use rolodeck::merge::Layout;
use rolodeck::merge::fields::{DateStyle, Sender, save_sender, saved_sender};
use rolodeck::merge::images::{ImageInfo, SenderImages, add_image, add_image_file, get_image};
use rolodeck::merge::layout::{Item, Page, Paper, Rect};
use rolodeck::merge::letters::{LetterRun, SAMPLE_TEMPLATES, letter_pages_for};
use rolodeck::merge::output::Target;
use rolodeck::merge::preflight::ProblemKind;
use rolodeck::merge::run::{MergeOptions, MergeReport, MergeSpec, preflight_run, preview, reprint_run, run_merge};
use rolodeck::merge::template::Template;
use rolodeck::{Error, Store};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/images").join(name)
}

/// `count` people with a US address each, in list order.
fn people(store: &Store, count: usize) -> Vec<Contact> {
    let drafts: Vec<ContactDraft> = (0..count)
        .map(|i| ContactDraft {
            addresses: vec![Address {
                street: format!("{i} Oak Ave"),
                city: "Portland".into(),
                region: "OR".into(),
                postal_code: "97201".into(),
                ..Default::default()
            }],
            ..person("Pat", &format!("Person{i:04}"))
        })
        .collect();
    contacts::create_contacts(store.conn(), drafts).unwrap();
    let rows = contacts::search_contacts(store, "", 0, count).unwrap().rows;
    rows.iter().map(|r| contacts::get_contact(store.conn(), r.id).unwrap()).collect()
}

/// Saves Ann Lee as the sender, with `logo` and `signature` (fixture names) if given.
fn set_sender(store: &Store, logo: Option<&str>, signature: Option<&str>) -> Sender {
    let add = |name: Option<&str>| name.map(|n| add_image_file(store.conn(), &fixture(n)).unwrap().id);
    let sender = Sender { logo: add(logo), signature: add(signature), ..common::ann_lee() };
    save_sender(store.conn(), &sender).unwrap();
    sender
}

fn spec(store: &Store, layout: Layout) -> MergeSpec {
    let (name, source) = SAMPLE_TEMPLATES.iter().find(|(n, _)| *n == "prospect-letter").unwrap();
    MergeSpec {
        layout,
        template_name: name.to_string(),
        template_source: source.to_string(),
        options: MergeOptions {
            date: NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
            date_style: Some(DateStyle::Us),
            ..MergeOptions::saved(store.conn(), layout).unwrap()
        },
    }
}

fn print(store: &Store, spec: &MergeSpec, people: &[Contact], pdf: &Path) -> MergeReport {
    run_merge(store.conn(), spec, people, &Target::File(pdf.to_path_buf()), &mut |_, _| {}, &AtomicBool::new(false))
        .unwrap()
}

/// `pdfimages -list` rows as (page, type, width, height, encoding, object id).
fn images_in(pdf: &Path) -> Vec<(usize, String, u32, u32, String, u32)> {
    poppler("pdfimages", &["-list"], pdf)
        .lines()
        .skip(2)
        .map(|row| {
            let c: Vec<&str> = row.split_whitespace().collect();
            (
                c[0].parse().unwrap(),
                c[2].into(),
                c[3].parse().unwrap(),
                c[4].parse().unwrap(),
                c[8].into(),
                c[10].parse().unwrap(),
            )
        })
        .collect()
}

fn qpdf_check(pdf: &Path) {
    let out = Command::new("qpdf").arg("--check").arg(pdf).output().expect("qpdf is installed (./dev test does)");
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success() && report.contains("No syntax or stream encoding errors"), "{report}");
}

#[test]
fn three_hundred_letters_share_one_logo_and_one_signature() {
    let (dir, store) = temp_store();
    let people = people(&store, 300);
    set_sender(&store, Some("logo.png"), Some("signature.png"));
    let spec_with = spec(&store, Layout::Letter(Paper::UsWindow));
    let mut spec_without = spec_with.clone();
    (spec_without.options.sender.logo, spec_without.options.sender.signature) = (None, None);
    let (with, without) = (dir.path().join("with.pdf"), dir.path().join("without.pdf"));
    let report = print(&store, &spec_with, &people, &with);
    print(&store, &spec_without, &people, &without);
    assert_eq!((report.printed, report.pages), (300, 300));

    let rows = images_in(&with);
    let drawn = |kind: &str, w: u32| rows.iter().filter(|r| r.1 == kind && r.2 == w).collect::<Vec<_>>();
    let (logos, signatures) = (drawn("image", 600), drawn("image", 480));
    assert_eq!((logos.len(), signatures.len()), (300, 300), "one of each on every letter");
    for (drawn, name) in [(&logos, "logo"), (&signatures, "signature")] {
        let mut objects: Vec<u32> = drawn.iter().map(|r| r.5).collect();
        objects.dedup();
        assert_eq!(objects.len(), 1, "the {name} is one object every page refers to");
        assert!(drawn.iter().all(|r| r.4 == "image"), "a PNG is Flate-compressed samples");
    }
    assert_eq!(drawn("smask", 600).len(), 300, "the logo's transparency comes as a soft mask");

    let (bytes_with, bytes_without) =
        (std::fs::metadata(&with).unwrap().len(), std::fs::metadata(&without).unwrap().len());
    let per_letter = (bytes_with - bytes_without) / 300;
    eprintln!("{bytes_without} bytes without images, {bytes_with} with: {per_letter} bytes a letter more");
    assert!(per_letter < 150, "{per_letter} bytes a letter for the images");

    let first = poppler("pdftotext", &["-f", "1", "-l", "1", "-layout"], &with);
    for expected in ["Lee Financial Planning", "Pat Person0000", "0 Oak Ave", "Sincerely,", "Ann Lee"] {
        assert!(first.contains(expected), "{expected:?} not in:\n{first}");
    }
    qpdf_check(&with);
}

fn rect_of(page: &Page, width_px: u32) -> Rect {
    page.items
        .iter()
        .find_map(|item| match item {
            Item::Image { rect, image } if image.width == width_px => Some(*rect),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no image {width_px} px wide on the page"))
}

fn overlaps(a: &Rect, b: &Rect) -> bool {
    a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
}

/// Each text run's box, roughly: from the capitals' top to the descenders.
fn text_boxes(page: &Page) -> Vec<(String, Rect)> {
    const MM_PER_PT: f32 = 25.4 / 72.0;
    page.items
        .iter()
        .filter_map(|item| match item {
            Item::Text(t) => {
                let h = t.size * MM_PER_PT;
                Some((t.text.clone(), Rect { x: t.x, y: t.y - 0.76 * h, w: t.face.width_mm(&t.text, t.size), h }))
            }
            _ => None,
        })
        .collect()
}

/// `contact`'s letter from `template` on `paper`, as a run would lay it out.
fn letter(template: &Template, paper: Paper, sender: &Sender, images: &SenderImages, contact: &Contact) -> Vec<Page> {
    let run = LetterRun {
        template,
        paper,
        date_style: DateStyle::Us,
        sender,
        images,
        today: NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
        title: "t",
    };
    letter_pages_for(&run, &run.fields(contact)).unwrap()
}

#[test]
fn the_logo_stands_beside_the_letterhead_and_the_signature_above_the_name_on_every_paper() {
    let (_dir, store) = temp_store();
    let sender = set_sender(&store, Some("logo.png"), Some("signature.png"));
    let images = SenderImages::load(store.conn(), &sender).unwrap();
    let template = Template::parse("prospect-letter", SAMPLE_TEMPLATES[0].1).unwrap();
    let contact = &people(&store, 1)[0];
    for paper in [Paper::UsWindow, Paper::DinA, Paper::DinB] {
        let pages = letter(&template, paper, &sender, &images, contact);
        let page = &pages[0];
        let (logo, signature) = (rect_of(page, 600), rect_of(page, 480));
        let window = page.targets[0].frame;
        let texts = text_boxes(page);

        assert!((logo.w / logo.h - 600.0 / 240.0).abs() < 0.01, "{paper:?}: aspect kept: {logo:?}");
        assert!(logo.x >= 0.0 && logo.x + logo.w <= page.width && logo.y >= 0.0, "{paper:?}: {logo:?}");
        assert!(!overlaps(&logo, &window), "{paper:?}: the logo clear of the window {window:?}: {logo:?}");
        for (text, at) in &texts {
            assert!(!overlaps(&logo, at), "{paper:?}: the logo covers {text:?}");
            assert!(!overlaps(&signature, at), "{paper:?}: the signature covers {text:?}");
        }
        let line = |wanted: &str| texts.iter().rev().find(|(t, _)| t == wanted).unwrap().1;
        let (closing, name) = (line("Sincerely,"), line("Ann Lee"));
        assert!(
            closing.y + closing.h <= signature.y && signature.y + signature.h <= name.y,
            "{paper:?}: {signature:?}"
        );
        assert!((signature.w / signature.h - 3.0).abs() < 0.01 && signature.h > 10.0, "{paper:?}: {signature:?}");
    }
}

#[test]
fn the_signature_never_parts_from_the_name_at_a_page_break() {
    let (_dir, store) = temp_store();
    let sender = set_sender(&store, None, Some("signature.png"));
    let images = SenderImages::load(store.conn(), &sender).unwrap();
    let contact = &people(&store, 1)[0];
    let mut breaks = 0;
    // Bodies of 15 to 80 lines put the sign-off at every height on pages one and two.
    for lines in 15..80 {
        let body = "A line of the letter.\n".repeat(lines);
        let template = Template::parse("long", &format!("{body}\nSincerely,\n\n{{{{ sender.name }}}}")).unwrap();
        let pages = letter(&template, Paper::UsWindow, &sender, &images, contact);
        let on = pages.iter().position(|p| p.items.iter().any(|i| matches!(i, Item::Image { .. }))).unwrap();
        let page = &pages[on];
        let signature = rect_of(page, 480);
        let name = text_boxes(page).into_iter().rev().find(|(t, _)| t == "Ann Lee");
        let name = name.unwrap_or_else(|| panic!("{lines} lines: the name is not on the signature's page")).1;
        assert!(signature.y + signature.h <= name.y && name.y - (signature.y + signature.h) < 3.0, "{lines}: {name:?}");
        assert!(name.y + name.h < page.height - 20.0, "{lines} lines: the name runs into the foot");
        breaks += usize::from(on > 0 && !text_boxes(page).iter().any(|(t, _)| t == "Sincerely,"));
    }
    assert!(breaks > 0, "some sign-off was carried over to a new page");
}

#[test]
fn preflight_says_when_a_letter_has_no_line_for_the_signature() {
    let (_dir, store) = temp_store();
    set_sender(&store, None, Some("signature.png"));
    let people = people(&store, 2);
    let mut spec = spec(&store, Layout::Letter(Paper::DinB));
    let problems = preflight_run(store.conn(), &spec, &people).unwrap();
    assert!(problems.is_empty(), "the sample ends with {{{{ sender.name }}}}: {problems:?}");
    spec.template_source = "Dear {{ first_name }},\n\nThanks.\n\nAnn".into();
    let problems = preflight_run(store.conn(), &spec, &people).unwrap();
    assert_eq!(problems.len(), 1, "once for the run, not per letter: {problems:?}");
    assert_eq!(problems[0].kind, ProblemKind::NoPlaceForSignature);
    assert!(problems[0].message.contains("is your name (Ann Lee) alone"), "{}", problems[0].message);
}

#[test]
fn the_preview_draws_the_same_images_as_data_urls() {
    let (_dir, store) = temp_store();
    set_sender(&store, Some("logo.jpg"), Some("signature.png"));
    let contact = &people(&store, 1)[0];
    let letter = preview(store.conn(), &spec(&store, Layout::Letter(Paper::DinB)), contact).unwrap().pages;
    assert_eq!(letter[0].matches("<image ").count(), 2, "{}", &letter[0][..400]);
    assert!(letter[0].contains(r#"preserveAspectRatio="none" href="data:image/jpeg;base64,/9j/"#));
    assert!(letter[0].contains(r#"href="data:image/png;base64,iVBORw0KGgo"#));

    // A fax: the logo on the cover too, both on the letter after it.
    let fax = preview(store.conn(), &spec(&store, Layout::Fax), contact).unwrap().pages;
    let counts: Vec<usize> = fax.iter().map(|page| page.matches("<image ").count()).collect();
    assert_eq!(counts, [1, 2]);
}

#[test]
fn a_jpeg_goes_into_the_pdf_byte_for_byte() {
    let (dir, store) = temp_store();
    set_sender(&store, Some("logo.jpg"), None);
    let people = people(&store, 3);
    let pdf = dir.path().join("jpeg.pdf");
    print(&store, &spec(&store, Layout::Letter(Paper::DinA)), &people, &pdf);
    let rows = images_in(&pdf);
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert!(rows.iter().all(|r| (r.1.as_str(), r.2, r.3, r.4.as_str()) == ("image", 400, 160, "jpeg")), "{rows:?}");
    let jpeg = std::fs::read(fixture("logo.jpg")).unwrap();
    let file = std::fs::read(&pdf).unwrap();
    assert_eq!(file.windows(jpeg.len()).filter(|w| *w == jpeg.as_slice()).count(), 1);
    qpdf_check(&pdf);
}

#[test]
fn a_reprint_shows_the_images_its_run_printed_with() {
    let (dir, store) = temp_store();
    let people = people(&store, 2);
    let first_sender = set_sender(&store, Some("logo.png"), None);
    let first = print(&store, &spec(&store, Layout::Letter(Paper::UsWindow)), &people, &dir.path().join("a.pdf"));

    // A new logo, and an image chosen but never saved into My details.
    let mut sender = saved_sender(store.conn()).unwrap();
    sender.logo = Some(add_image_file(store.conn(), &fixture("logo.jpg")).unwrap().id);
    let abandoned = add_image_file(store.conn(), &fixture("signature.png")).unwrap();
    save_sender(store.conn(), &sender).unwrap();
    assert!(matches!(get_image(store.conn(), abandoned.id), Err(Error::NotFound { .. })), "nothing names it");
    assert!(get_image(store.conn(), first_sender.logo.unwrap()).is_ok(), "a recorded run names the old logo");

    let again = dir.path().join("again.pdf");
    let target = Target::File(again.clone());
    reprint_run(store.conn(), first.run_id, &target, &mut |_, _| {}, &AtomicBool::new(false)).unwrap();
    let sizes: Vec<(u32, u32)> = images_in(&again).iter().filter(|r| r.1 == "image").map(|r| (r.2, r.3)).collect();
    assert_eq!(sizes, [(600, 240), (600, 240)], "the PNG logo it printed with, not today's JPEG");

    let now = dir.path().join("now.pdf");
    print(&store, &spec(&store, Layout::Letter(Paper::UsWindow)), &people, &now);
    assert!(images_in(&now).iter().all(|r| (r.2, r.3) == (400, 160)), "new runs use the new logo");
}

fn refused(store: &Store, name: &str, bytes: Vec<u8>) -> String {
    match add_image(store.conn(), name, bytes) {
        Err(err @ Error::Invalid(_)) => err.to_string(),
        other => panic!("{name} was not refused: {other:?}"),
    }
}

#[test]
fn files_that_are_not_a_usable_image_are_refused_with_the_reason() {
    let (dir, store) = temp_store();
    let png = std::fs::read(fixture("logo.png")).unwrap();
    let jpeg = std::fs::read(fixture("logo.jpg")).unwrap();

    assert!(refused(&store, "notes.png", b"just some text".to_vec()).contains("notes.png is not a PNG or JPEG image"));
    let cut_png = refused(&store, "cut.png", png[..png.len() / 2].to_vec());
    assert!(cut_png.starts_with("cut.png is damaged"), "{cut_png}");
    let cut_jpeg = refused(&store, "cut.jpg", jpeg[..jpeg.len() - 40].to_vec());
    assert!(cut_jpeg.starts_with("cut.jpg is damaged"), "{cut_jpeg}");
    let mut big = png.clone();
    big.resize(2 * 1024 * 1024 + 1, 0);
    assert!(refused(&store, "big.png", big).contains("big.png is larger than 2 MB"));
    let mut wide = png.clone();
    wide[16..20].copy_from_slice(&5000u32.to_be_bytes());
    assert!(refused(&store, "wide.png", wide).contains("wide.png is 5000 × 240 pixels; scale it to at most 4000"));

    // Through a file too, and an oversized file is refused without being read whole.
    let huge = dir.path().join("huge.jpg");
    std::fs::write(&huge, vec![0xFF; 3 * 1024 * 1024]).unwrap();
    let message = add_image_file(store.conn(), &huge).unwrap_err().to_string();
    assert!(message.contains("huge.jpg is larger than 2 MB"), "{message}");
    let missing = add_image_file(store.conn(), &dir.path().join("gone.png")).unwrap_err().to_string();
    assert!(missing.contains("gone.png"), "{missing}");

    // A sender naming an image that is not stored is refused too, and nothing was saved.
    let ghost = Sender { logo: Some(uuid::Uuid::now_v7()), ..Default::default() };
    let message = save_sender(store.conn(), &ghost).unwrap_err().to_string();
    assert!(message.contains("the logo image is no longer in this file; choose it again"), "{message}");
    assert_eq!(saved_sender(store.conn()).unwrap(), Sender::default());
}

#[test]
fn stored_images_come_back_as_they_were_chosen() {
    let (_dir, store) = temp_store();
    let info: ImageInfo = add_image_file(store.conn(), &fixture("signature.png")).unwrap();
    assert_eq!((info.width, info.height, info.format.mime()), (480, 160, "image/png"));
    let bytes = std::fs::read(fixture("signature.png")).unwrap();
    assert_eq!(info.bytes, bytes.len());
    assert_eq!(get_image(store.conn(), info.id).unwrap().bytes, bytes);
    assert!(info.data_url.starts_with("data:image/png;base64,iVBORw0KGgo"));
}
