//! The account page's part about the user's personal data: the export (a plain link to the
//! zip) and the form that asks for their rectification or erasure (a plain form; the request
//! is filed as a case, whose page opens with the receipt).

use leptos::prelude::*;

use super::forms::{ErrorSummary, FieldError, action_error};
use crate::api::data_rights::{FileDataRequest, data_request_institutions};
use crate::model::data_rights::{ERASURE, RECTIFICATION};
use crate::ui::prefs::use_prefs;

#[component]
pub fn DataRightsSection() -> impl IntoView {
    let t = use_prefs().lang.data_rights();
    let action = ServerAction::<FileDataRequest>::new();
    let error = action_error(action);
    let institutions = Resource::new(|| (), |_| data_request_institutions());
    view! {
        <section aria-labelledby="personal-data">
            <h2 id="personal-data">{t.section_title}</h2>
            <p>{t.export_intro}</p>
            <p><a class="button button-secondary" href="/cont/date.zip" download="">{t.export_link}</a></p>
            <h3 id="data-request">{t.request_title}</h3>
            <p>{t.request_intro}</p>
            <ErrorSummary error/>
            <ActionForm action attr:novalidate=true attr:aria-labelledby="data-request">
                <fieldset class="form-group">
                    <legend>{t.kind_legend}</legend>
                    <FieldError name="kind" error/>
                    {[(RECTIFICATION, "kind", t.kind_rectification, t.kind_rectification_help),
                      (ERASURE, "kind-erasure", t.kind_erasure, t.kind_erasure_help)]
                        .into_iter()
                        .map(|(value, id, label, help)| {
                            let hint = format!("{id}-hint");
                            view! {
                                <div class="choice">
                                    <input type="radio" id=id name="kind" value=value aria-describedby=hint.clone()/>
                                    <label for=id>{label}</label>
                                    <p class="hint" id=hint>{help}</p>
                                </div>
                            }
                        })
                        .collect_view()}
                </fieldset>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let list = institutions.await.unwrap_or_default();
                        (list.len() > 1).then(|| view! {
                            <div class="form-group">
                                <label for="institution_id">{t.institution}</label>
                                <FieldError name="institution_id" error/>
                                <select id="institution_id" name="institution_id">
                                    {list.into_iter().map(|(id, name)| view! {
                                        <option value=id.to_string()>{name}</option>
                                    }).collect_view()}
                                </select>
                            </div>
                        })
                    })}
                </Suspense>
                <div class="form-group">
                    <label for="text">{t.text}</label>
                    <p class="hint" id="text-hint">{t.text_hint}</p>
                    <FieldError name="text" error/>
                    <textarea id="text" name="text" rows="5" aria-describedby="text-hint"></textarea>
                </div>
                <div class="actions"><button type="submit">{t.submit}</button></div>
            </ActionForm>
        </section>
    }
}
