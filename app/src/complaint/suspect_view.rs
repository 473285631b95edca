//! The report form's optional suspected enterprise. Without script: a text field with the
//! registry as a `<datalist>` (the browser suggests names as the resident types) that the
//! server links to the registry on submission (a credit code or an exact name; anything
//! else is kept as text). With script: the field searches the whole registry by name or
//! credit code as the resident types, and a pick is sent as its credit code.

use leptos::prelude::*;

use super::place_texts::suspect_problem_text;
use super::{field, RegistryEntry, SuspectDraft};
use crate::i18n::use_lang;
use daylight_domain::complaint::suspect::{SuspectProblem, MAX_SUSPECT};

/// A registry entry as a search result shows it.
fn entry_text(e: &RegistryEntry) -> String {
    match &e.district {
        Some(d) => format!("{} · {d} · {}", e.name, e.code),
        None => format!("{} · {}", e.name, e.code),
    }
}

#[component]
pub fn SuspectField(
    draft: SuspectDraft,
    registry: Vec<RegistryEntry>,
    problem: Option<SuspectProblem>,
) -> impl IntoView {
    let lang = use_lang();
    let pt = lang.place_texts();
    let message = problem.as_ref().map(|p| suspect_problem_text(lang, p));
    let invalid = message.is_some().then_some("true");
    let hydrated = RwSignal::new(false);
    let results = RwSignal::new(Vec::<RegistryEntry>::new());
    // What the search line says: searching, nothing found, or the linked enterprise.
    let status = RwSignal::new(None::<String>);
    let linked = RwSignal::new(None::<RegistryEntry>);
    let text_ref = NodeRef::<leptos::html::Input>::new();
    let code_ref = NodeRef::<leptos::html::Input>::new();
    // Each keystroke starts a new search; older answers are dropped.
    let generation = StoredValue::new(0u64);
    let options = registry
        .iter()
        .map(|e| view! { <option value=e.name.clone()>{e.code.clone()}</option> })
        .collect_view();

    #[cfg(feature = "hydrate")]
    Effect::new(move |_| hydrated.set(true));

    let on_input = move |_| {
        let Some(input) = text_ref.get_untracked() else {
            return;
        };
        // Typing after a pick: the pick no longer holds.
        if let Some(code) = code_ref.get_untracked() {
            code.set_value("");
        }
        linked.set(None);
        let query = input.value();
        generation.update_value(|g| *g += 1);
        let mine = generation.get_value();
        if query.trim().is_empty() {
            results.set(Vec::new());
            status.set(None);
            return;
        }
        status.set(Some(pt.searching.to_string()));
        set_timeout(
            move || {
                if generation.get_value() != mine {
                    return;
                }
                leptos::task::spawn_local(async move {
                    let found = super::fns::search_enterprises(query).await;
                    if generation.get_value() != mine {
                        return;
                    }
                    let found = found.unwrap_or_default();
                    status.set(found.is_empty().then(|| pt.no_match.to_string()));
                    results.set(found);
                });
            },
            std::time::Duration::from_millis(200),
        );
    };
    let pick = move |entry: RegistryEntry| {
        if let Some(input) = text_ref.get_untracked() {
            input.set_value(&entry.name);
        }
        if let Some(code) = code_ref.get_untracked() {
            code.set_value(&entry.code);
        }
        results.set(Vec::new());
        status.set(None);
        linked.set(Some(entry));
    };
    let unlink = move |_| {
        if let Some(code) = code_ref.get_untracked() {
            code.set_value("");
        }
        linked.set(None);
    };

    view! {
        <div class="field suspect">
            <label for="suspect">{pt.suspect}</label>
            <p class="hint" id="suspect-hint">{pt.suspect_hint}</p>
            <input
                id="suspect"
                type="text"
                name=field::SUSPECT
                value=draft.text
                maxlength=MAX_SUSPECT.to_string()
                autocomplete="off"
                list=move || (!hydrated.get()).then_some("suspect-registry")
                node_ref=text_ref
                on:input=on_input
                aria-invalid=invalid
                aria-describedby="suspect-hint err-suspect"
                aria-controls="suspect-results"
            />
            <input type="hidden" name=field::SUSPECT_CODE value=draft.code node_ref=code_ref />
            <datalist id="suspect-registry">{options}</datalist>
            <ul class="suspect-results" id="suspect-results" aria-label=pt.results_label hidden=move || results.with(Vec::is_empty)>
                <For each=move || results.get() key=|e| e.code.clone() let:entry>
                    {
                        let text = entry_text(&entry);
                        let code = entry.code.clone();
                        view! {
                            <li>
                                <button type="button" data-code=code on:click=move |_| pick(entry.clone())>{text}</button>
                            </li>
                        }
                    }
                </For>
            </ul>
            <output class="suspect-status" aria-live="polite">
                {move || status.get()}
                {move || linked.get().map(|e| view! {
                    <span class="suspect-linked" data-code=e.code.clone()>{format!("✓ {}{}{}", pt.linked, lang.pick("：", ": "), entry_text(&e))}</span>
                    " "
                    <button type="button" class="unlink" on:click=unlink>{pt.unlink}</button>
                })}
            </output>
            {message.map(|m| view! { <p class="field-error" id="err-suspect">{m}</p> })}
        </div>
    }
}
