//! Forms without JavaScript. Buttons such as "Add container" re-open the form page with
//! everything typed so far in its address (`/x/new?fields[name]=value&...`), and a plain
//! post that the server refuses goes back to that address with the error, so nothing typed
//! is lost. With JavaScript the same forms work in place.

use crate::domain::url::encode_query_value;
use leptos_router::params::ParamsMap;
use std::collections::BTreeMap;

/// `page?fields[name]=value&...&error=...`: a form page with what was typed (and why it
/// was refused).
pub fn form_address<K, V>(
    page: &str,
    fields: impl IntoIterator<Item = (K, V)>,
    error: Option<&str>,
) -> String
where
    K: AsRef<str>,
    V: AsRef<str>,
{
    let mut query: Vec<String> = fields
        .into_iter()
        .map(|(name, value)| {
            format!(
                "fields%5B{}%5D={}",
                encode_query_value(name.as_ref()),
                encode_query_value(value.as_ref())
            )
        })
        .collect();
    if let Some(error) = error {
        query.push(format!("error={}", encode_query_value(error)));
    }
    format!("{page}?{}", query.join("&"))
}

/// The `fields[...]` of a form page's address.
pub fn fields_from_query(query: &ParamsMap) -> BTreeMap<String, String> {
    query
        .into_iter()
        .filter_map(|(k, v)| {
            let key = k.strip_prefix("fields[")?.strip_suffix(']')?;
            Some((key.to_string(), v.to_string()))
        })
        .collect()
}

/// How a form's server function ends. After success the browser opens `done(value)` (with
/// JavaScript too: the router follows). After a refused plain post (no JavaScript) it goes
/// back to `back(error)`, the form with what was typed and the error; with JavaScript the
/// page shows the error where it is.
#[cfg(feature = "ssr")]
pub fn finish_form_post<T>(
    result: Result<T, crate::error::AppError>,
    done: impl FnOnce(&T) -> String,
    back: impl FnOnce(&crate::error::AppError) -> String,
) -> Result<T, crate::error::AppError> {
    match &result {
        Ok(value) => leptos_axum::redirect(&done(value)),
        Err(err) if crate::backend::is_plain_form_post() => leptos_axum::redirect(&back(err)),
        Err(_) => {}
    }
    result
}

/// After a plain post only (no JavaScript), opens `address(result)`: a page that shows the
/// outcome. With JavaScript the page updates itself.
#[cfg(feature = "ssr")]
pub fn after_plain_post<T>(
    result: Result<T, crate::error::AppError>,
    address: impl FnOnce(&Result<T, crate::error::AppError>) -> String,
) -> Result<T, crate::error::AppError> {
    if crate::backend::is_plain_form_post() {
        leptos_axum::redirect(&address(&result));
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_as_an_address() {
        assert_eq!(
            form_address(
                "/services/new",
                [("serviceName", "web app"), ("subnet:subnet-1", "on")],
                Some("Name is required.")
            ),
            "/services/new?fields%5BserviceName%5D=web%20app&fields%5Bsubnet%3Asubnet-1%5D=on&error=Name%20is%20required."
        );
        assert_eq!(
            form_address("/approvals/new", Vec::<(String, String)>::new(), None),
            "/approvals/new?"
        );
    }

    // Building a ParamsMap decodes with the browser's decoder unless the server's is in.
    #[cfg(feature = "ssr")]
    #[test]
    fn fields_come_back_from_the_address() {
        let query = ParamsMap::from_iter([
            ("fields[family]".to_string(), "web".to_string()),
            ("fields[c0_name]".to_string(), "app".to_string()),
            ("error".to_string(), "Bad.".to_string()),
            ("fields".to_string(), "x".to_string()),
        ]);
        let fields = fields_from_query(&query);
        assert_eq!(
            fields.into_iter().collect::<Vec<_>>(),
            [
                ("c0_name".to_string(), "app".to_string()),
                ("family".to_string(), "web".to_string())
            ]
        );
    }
}
