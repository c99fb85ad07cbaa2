//! Tables on small screens: each cell carries its column's heading (`data-label`), so
//! that the stylesheet can show a table as stacked summary rows under 641 pixels
//! instead of a table wider than the screen. Kept up as pages draw new tables.

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;

/// Gives every cell of every table on the page its column's heading.
pub fn label_cells() {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    let Ok(tables) = doc.query_selector_all("table.govuk-table") else { return };
    for t in 0..tables.length() {
        let Some(table) = tables.item(t).and_then(|n| n.dyn_into::<web_sys::Element>().ok()) else { continue };
        let Ok(heads) = table.query_selector_all("thead th") else { continue };
        let names: Vec<String> = (0..heads.length())
            .map(|i| heads.item(i).and_then(|n| n.text_content()).unwrap_or_default().trim().to_owned())
            .collect();
        let Ok(rows) = table.query_selector_all("tbody tr") else { continue };
        for r in 0..rows.length() {
            let Some(row) = rows.item(r).and_then(|n| n.dyn_into::<web_sys::Element>().ok()) else { continue };
            let cells = row.children();
            for c in 0..cells.length() {
                let Some(cell) = cells.item(c) else { continue };
                match names.get(c as usize) {
                    Some(name) if !name.is_empty() && !cell.has_attribute("data-label") => {
                        let _ = cell.set_attribute("data-label", name);
                    }
                    _ => {}
                }
            }
        }
    }
}

/// Labels the cells now and whenever the page changes.
pub fn install() {
    let Some(body) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body()) else { return };
    let callback = Closure::<dyn FnMut()>::new(label_cells);
    let Ok(observer) = web_sys::MutationObserver::new(callback.as_ref().unchecked_ref()) else { return };
    let options = web_sys::MutationObserverInit::new();
    options.set_child_list(true);
    options.set_subtree(true);
    if observer.observe_with_options(&body, &options).is_ok() {
        // The observer lives as long as the page.
        callback.forget();
    }
}
