//! Letter templates: a sandboxed minijinja dialect with `{{ field }}`, `{% if %}`, and a
//! `fallback` filter for blanks (`{{ first_name | fallback("Friend") }}`). Output values are
//! escaped for the body markup, runaway templates run out of fuel, and a typo'd field is an
//! error that names the field and the line, not a silent blank.

use minijinja::syntax::SyntaxConfig;
use minijinja::value::{Serde, Value};
use minijinja::{Environment, ErrorKind, UndefinedBehavior};

use super::fields::{FIELD_NAMES, Fields};
use super::markup;

/// Enough for any real letter; a loop that runs away stops here instead of hanging the app.
const FUEL: u64 = 200_000;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("template “{template}”, line {line}: {message}")]
pub struct TemplateError {
    pub template: String,
    pub line: usize,
    pub message: String,
}

/// A parsed template, ready to render for many recipients.
pub struct Template {
    env: Environment<'static>,
    name: String,
}

impl Template {
    pub fn parse(name: &str, source: &str) -> Result<Template, TemplateError> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::SemiStrict);
        env.set_fuel(Some(FUEL));
        // `{% if %}` on a line of its own leaves no blank line behind.
        env.set_syntax(SyntaxConfig::builder().trim_blocks(true).lstrip_blocks(true).build().expect("a valid syntax"));
        env.add_filter("fallback", fallback);
        // Merged values print literally: a `*` in a name must not start italics.
        env.set_formatter(|out, _state, value| {
            let text = if value.is_none() || value.is_undefined() { String::new() } else { value.to_string() };
            out.write_str(&markup::escape(&text)).map_err(minijinja::Error::from)
        });
        env.add_template_owned(name.to_string(), source.to_string()).map_err(|e| error(name, &e))?;
        Ok(Template { env, name: name.to_string() })
    }

    pub fn render(&self, fields: &Fields) -> Result<String, TemplateError> {
        let template = self.env.get_template(&self.name).map_err(|e| error(&self.name, &e))?;
        template.render(Value::from(Serde(fields))).map_err(|e| error(&self.name, &e))
    }

    /// Fields the template uses that no contact has (typos, or fields from another program).
    pub fn unknown_fields(&self) -> Vec<String> {
        let template = self.env.get_template(&self.name).expect("added in parse");
        let mut unknown: Vec<String> =
            template.undeclared_variables(false).into_iter().filter(|v| !FIELD_NAMES.contains(&v.as_str())).collect();
        unknown.sort();
        unknown
    }
}

/// `value | fallback("Friend")`: the value, or the fallback when it is missing or blank.
fn fallback(value: Value, default: Value) -> Value {
    let blank = value.is_undefined() || value.is_none() || value.as_str().is_some_and(|s| s.trim().is_empty());
    if blank { default } else { value }
}

fn error(template: &str, err: &minijinja::Error) -> TemplateError {
    let message = match err.kind() {
        ErrorKind::OutOfFuel => "the template runs too long (a loop that never ends?) and was stopped".to_string(),
        ErrorKind::UndefinedError => format!("unknown field: {}", err.detail().unwrap_or("a field is not defined")),
        _ => err.detail().map_or_else(|| err.kind().to_string(), |d| format!("{}: {d}", err.kind())),
    };
    TemplateError { template: template.to_string(), line: err.line().unwrap_or(0), message }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields() -> Fields {
        Fields { first_name: "Ann".into(), last_name: "Lee".into(), company: "*Acme*".into(), ..Default::default() }
    }

    #[test]
    fn renders_fields_conditions_and_fallbacks() {
        let t = Template::parse(
            "t",
            "Hi {{ first_name }}{% if company %} of {{ company }}{% endif %}, {{ nickname | fallback(\"friend\") }}.",
        )
        .unwrap();
        assert_eq!(t.render(&fields()).unwrap(), "Hi Ann of \\*Acme\\*, friend.");
    }

    #[test]
    fn an_unknown_field_is_named_with_its_line() {
        let t = Template::parse("prospect", "Dear {{ first_name }},\n\nYour {{ frist_name }} account").unwrap();
        assert_eq!(t.unknown_fields(), ["frist_name"]);
        let err = t.render(&fields()).unwrap_err();
        assert_eq!(err.line, 3);
        assert!(err.to_string().contains("prospect"), "{err}");
    }

    #[test]
    fn a_runaway_template_is_stopped() {
        let t = Template::parse(
            "loop",
            "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}",
        )
        .unwrap();
        let err = t.render(&fields()).unwrap_err();
        assert!(err.message.contains("runs too long"), "{err}");
    }

    #[test]
    fn a_syntax_error_names_the_line() {
        let err = Template::parse("broken", "Dear {{ first_name }},\n{% if company %}no end").err().unwrap();
        assert!(err.line >= 2, "{err:?}");
    }
}
