//! The staff member's mail preference on the account page: each mail at once, or one digest
//! a day at a chosen hour. A plain form; hydration only keeps the page in place.

use leptos::prelude::*;

use super::forms::{ErrorSummary, TextField, action_error, query_flag};
use crate::api::account::{SetMailPreference, get_mail_preference};
use crate::model::account::MailPreference;
use crate::ui::prefs::use_prefs;

#[component]
pub fn MailPreferenceSection() -> impl IntoView {
    let a = use_prefs().lang.account();
    let save = ServerAction::<SetMailPreference>::new();
    let error = action_error(save);
    let saved = query_flag("posta");
    let current = Resource::new(move || save.version().get(), |_| get_mail_preference());
    view! {
        <section aria-labelledby="mail-preference">
            <h2 id="mail-preference">{a.mail_pref_title}</h2>
            <p>{a.mail_pref_intro}</p>
            {move || saved.get().map(|_| view! { <p class="notice notice-success" role="status">{a.mail_pref_saved}</p> })}
            <ErrorSummary error/>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let p = current.await.unwrap_or_default();
                    let digest = p.mode == MailPreference::DIGEST;
                    view! {
                        <ActionForm action=save attr:novalidate=true>
                            <div class="form-group">
                                <fieldset>
                                    <legend>{a.mail_pref_mode}</legend>
                                    <div class="choice">
                                        <input type="radio" id="mode" name="mode" value=MailPreference::IMMEDIATE checked=!digest/>
                                        <label for="mode">{a.mail_pref_immediate}</label>
                                    </div>
                                    <div class="choice">
                                        <input type="radio" id="mode-digest" name="mode" value=MailPreference::DIGEST checked=digest/>
                                        <label for="mode-digest">{a.mail_pref_digest}</label>
                                    </div>
                                </fieldset>
                            </div>
                            <TextField name="digest_hour" label=a.mail_pref_hour kind="number" hint=a.mail_pref_hour_hint value=p.digest_hour.to_string() error/>
                            <div class="actions"><button type="submit">{a.submit_mail_pref}</button></div>
                        </ActionForm>
                    }
                })}
            </Suspense>
        </section>
    }
}
