//! The widget's string tables: each `.ftl` file as JSON, plural selects as
//! objects keyed by variant, other placeables written back as Fluent source.

use super::{Locale, AR_FTL, EN_FTL, FR_FTL};
use fluent_syntax::ast;
use serde_json::{Map, Value};
use std::sync::LazyLock;

/// The CLDR plural categories, in their canonical order.
pub(super) const PLURAL_CATEGORIES: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

static WIDGET_FR: LazyLock<Map<String, Value>> = LazyLock::new(|| build_widget_strings(FR_FTL));
static WIDGET_AR: LazyLock<Map<String, Value>> = LazyLock::new(|| build_widget_strings(AR_FTL));
static WIDGET_EN: LazyLock<Map<String, Value>> = LazyLock::new(|| build_widget_strings(EN_FTL));

/// The strings a widget needs (`GET /api/v1/i18n/{locale}`): every message of
/// the locale's file, key → value.
///
/// A simple message maps to its pattern text with placeables kept as written
/// (`"{ $count } commentaires"`). A message whose whole value is a select on a
/// number (`{ $count -> [0] … [one] … *[other] … }`) maps to an object keyed by
/// the variant keys: exact numbers as `"=0"`, `"=1"`…, plural categories as
/// `"zero"`, `"one"`, `"two"`, `"few"`, `"many"`, `"other"`.
pub fn widget_strings(locale: Locale) -> Map<String, Value> {
    let map: &Map<String, Value> = match locale {
        Locale::Fr => &WIDGET_FR,
        Locale::Ar => &WIDGET_AR,
        Locale::En => &WIDGET_EN,
    };
    map.clone()
}

pub(super) fn parse_ftl(source: &str) -> ast::Resource<&str> {
    match fluent_syntax::parser::parse(source) {
        Ok(resource) => resource,
        Err((resource, _)) => resource,
    }
}

pub(super) fn build_widget_strings(source: &str) -> Map<String, Value> {
    let mut map = Map::new();
    for entry in parse_ftl(source).body {
        if let ast::Entry::Message(msg) = entry {
            if let Some(value) = &msg.value {
                map.insert(msg.id.name.to_owned(), pattern_to_json(value));
            }
        }
    }
    map
}

fn pattern_to_json(pattern: &ast::Pattern<&str>) -> Value {
    match plural_variants(pattern) {
        Some(object) => Value::Object(object),
        None => Value::String(pattern_text(pattern)),
    }
}

/// The variants of a pattern that is exactly one select on a number, keyed for widgets.
fn plural_variants(pattern: &ast::Pattern<&str>) -> Option<Map<String, Value>> {
    let [ast::PatternElement::Placeable {
        expression: ast::Expression::Select { selector, variants },
    }] = pattern.elements.as_slice()
    else {
        return None;
    };
    let numeric_selector = match selector {
        ast::InlineExpression::VariableReference { .. } => true,
        ast::InlineExpression::FunctionReference { id, .. } => id.name == "NUMBER",
        _ => false,
    };
    if !numeric_selector {
        return None;
    }
    let mut object = Map::new();
    for variant in variants {
        let key = match &variant.key {
            ast::VariantKey::NumberLiteral { value } => format!("={value}"),
            ast::VariantKey::Identifier { name } if PLURAL_CATEGORIES.contains(name) => {
                (*name).to_owned()
            }
            ast::VariantKey::Identifier { .. } => return None,
        };
        object.insert(key, Value::String(pattern_text(&variant.value)));
    }
    Some(object)
}

/// Writes a pattern back as Fluent source text (placeables as `{ … }`).
fn pattern_text(pattern: &ast::Pattern<&str>) -> String {
    let mut out = String::new();
    write_pattern(&mut out, pattern);
    out
}

fn write_pattern(out: &mut String, pattern: &ast::Pattern<&str>) {
    for element in &pattern.elements {
        match element {
            ast::PatternElement::TextElement { value } => out.push_str(value),
            ast::PatternElement::Placeable { expression } => {
                out.push_str("{ ");
                write_expression(out, expression);
                out.push_str(" }");
            }
        }
    }
}

fn write_expression(out: &mut String, expression: &ast::Expression<&str>) {
    match expression {
        ast::Expression::Inline(inline) => write_inline(out, inline),
        ast::Expression::Select { selector, variants } => {
            write_inline(out, selector);
            out.push_str(" ->");
            for variant in variants {
                out.push(' ');
                if variant.default {
                    out.push('*');
                }
                out.push('[');
                match &variant.key {
                    ast::VariantKey::Identifier { name } => out.push_str(name),
                    ast::VariantKey::NumberLiteral { value } => out.push_str(value),
                }
                out.push_str("] ");
                write_pattern(out, &variant.value);
            }
        }
    }
}

fn write_inline(out: &mut String, inline: &ast::InlineExpression<&str>) {
    match inline {
        ast::InlineExpression::StringLiteral { value } => {
            out.push('"');
            out.push_str(value);
            out.push('"');
        }
        ast::InlineExpression::NumberLiteral { value } => out.push_str(value),
        ast::InlineExpression::FunctionReference { id, arguments } => {
            out.push_str(id.name);
            write_call_arguments(out, arguments);
        }
        ast::InlineExpression::MessageReference { id, attribute } => {
            out.push_str(id.name);
            if let Some(attribute) = attribute {
                out.push('.');
                out.push_str(attribute.name);
            }
        }
        ast::InlineExpression::TermReference {
            id,
            attribute,
            arguments,
        } => {
            out.push('-');
            out.push_str(id.name);
            if let Some(attribute) = attribute {
                out.push('.');
                out.push_str(attribute.name);
            }
            if let Some(arguments) = arguments {
                write_call_arguments(out, arguments);
            }
        }
        ast::InlineExpression::VariableReference { id } => {
            out.push('$');
            out.push_str(id.name);
        }
        ast::InlineExpression::Placeable { expression } => {
            out.push_str("{ ");
            write_expression(out, expression);
            out.push_str(" }");
        }
    }
}

fn write_call_arguments(out: &mut String, arguments: &ast::CallArguments<&str>) {
    out.push('(');
    let mut first = true;
    for positional in &arguments.positional {
        if !first {
            out.push_str(", ");
        }
        first = false;
        write_inline(out, positional);
    }
    for named in &arguments.named {
        if !first {
            out.push_str(", ");
        }
        first = false;
        out.push_str(named.name.name);
        out.push_str(": ");
        write_inline(out, &named.value);
    }
    out.push(')');
}
