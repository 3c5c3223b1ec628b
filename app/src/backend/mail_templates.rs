//! Built-in texts of the notification mails, per language. Placeholders in braces are filled
//! from [`MailContext`]; an unknown placeholder stays as written. (Administrators' own versions
//! of these texts come with the notifications administration.)

use std::collections::BTreeMap;

/// Values a template may use: `registration_number`, `subject`, `state`, `due`, `reason`,
/// `answer`, `outcome`, `link`, `institution`, `days`; account mails: `name`, `hours`.
pub type MailContext = BTreeMap<&'static str, String>;

/// `(subject, body)` of `template` in `lang` (`ro`, `ru`, `en`; anything else: `ro`).
fn texts(template: &str, lang: &str) -> (&'static str, &'static str) {
    match (template, lang) {
        ("case_registered", "en") => (
            "Your petition was registered: {registration_number}",
            "Your petition \"{subject}\" was registered with number {registration_number}. The term to answer is {due}.\n\nFollow it here: {link}",
        ),
        ("case_registered", "ru") => (
            "Ваша петиция зарегистрирована: {registration_number}",
            "Ваша петиция «{subject}» зарегистрирована под номером {registration_number}. Срок ответа: {due}.\n\nСледить за ней: {link}",
        ),
        ("case_registered", _) => (
            "Petiția dumneavoastră a fost înregistrată: {registration_number}",
            "Petiția „{subject}” a fost înregistrată cu numărul {registration_number}. Termenul de răspuns este {due}.\n\nO puteți urmări aici: {link}",
        ),

        ("case_assigned", "en") => (
            "Case {registration_number} assigned to you",
            "Case {registration_number} \"{subject}\" was assigned to you. Answer by {due}.\n\n{link}",
        ),
        ("case_assigned", "ru") => (
            "Вам назначено дело {registration_number}",
            "Вам назначено дело {registration_number} «{subject}». Ответить до {due}.\n\n{link}",
        ),
        ("case_assigned", _) => (
            "Vi s-a repartizat cazul {registration_number}",
            "Cazul {registration_number} „{subject}” v-a fost repartizat. Termen de răspuns: {due}.\n\n{link}",
        ),

        ("case_forwarded", "en") => (
            "Your petition {registration_number} was forwarded",
            "Your petition {registration_number} is not within our competence and was forwarded to {institution}, which will answer it.\n\n{reason}\n\n{link}",
        ),
        ("case_forwarded", "ru") => (
            "Ваша петиция {registration_number} перенаправлена",
            "Ваша петиция {registration_number} не входит в нашу компетенцию и перенаправлена в {institution}, который ответит на неё.\n\n{reason}\n\n{link}",
        ),
        ("case_forwarded", _) => (
            "Petiția {registration_number} a fost redirecționată",
            "Petiția {registration_number} nu este de competența noastră și a fost expediată către {institution}, care vă va răspunde.\n\n{reason}\n\n{link}",
        ),

        ("case_extended", "en") => (
            "The term to answer {registration_number} was extended",
            "The term to answer your petition {registration_number} was extended by {days} days, to {due}.\n\nReason: {reason}\n\n{link}",
        ),
        ("case_extended", "ru") => (
            "Срок ответа по {registration_number} продлён",
            "Срок ответа на вашу петицию {registration_number} продлён на {days} дн., до {due}.\n\nПричина: {reason}\n\n{link}",
        ),
        ("case_extended", _) => (
            "Termenul de răspuns la {registration_number} a fost prelungit",
            "Termenul de examinare a petiției {registration_number} a fost prelungit cu {days} zile, până la {due}.\n\nMotivul: {reason}\n\n{link}",
        ),

        ("info_requested", "en") => (
            "Information needed for {registration_number}",
            "To examine your petition {registration_number} we need more information:\n\n{reason}\n\nPlease reply by {due}: {link}",
        ),
        ("info_requested", "ru") => (
            "Нужна информация по {registration_number}",
            "Для рассмотрения петиции {registration_number} нужна дополнительная информация:\n\n{reason}\n\nОтветьте, пожалуйста, до {due}: {link}",
        ),
        ("info_requested", _) => (
            "Informații necesare pentru {registration_number}",
            "Pentru examinarea petiției {registration_number} avem nevoie de informații suplimentare:\n\n{reason}\n\nVă rugăm să răspundeți până la {due}: {link}",
        ),

        ("citizen_replied", "en") => (
            "The petitioner replied on {registration_number}",
            "The petitioner sent the requested information on case {registration_number}. The term runs again; answer by {due}.\n\n{link}",
        ),
        ("citizen_replied", "ru") => (
            "Заявитель ответил по {registration_number}",
            "Заявитель прислал запрошенную информацию по делу {registration_number}. Срок снова идёт; ответить до {due}.\n\n{link}",
        ),
        ("citizen_replied", _) => (
            "Petiționarul a răspuns la {registration_number}",
            "Petiționarul a trimis informațiile cerute în cazul {registration_number}. Termenul curge din nou; răspuns până la {due}.\n\n{link}",
        ),

        ("case_answered", "en") => (
            "Answer to your petition {registration_number}",
            "Your petition {registration_number} \"{subject}\" was answered ({outcome}):\n\n{answer}\n\n{link}\n\nHow satisfied are you with the answer? One click rates it:\n1 (not at all): {rate_link}/1\n2: {rate_link}/2\n3: {rate_link}/3\n4: {rate_link}/4\n5 (very satisfied): {rate_link}/5",
        ),
        ("case_answered", "ru") => (
            "Ответ на вашу петицию {registration_number}",
            "На вашу петицию {registration_number} «{subject}» дан ответ ({outcome}):\n\n{answer}\n\n{link}\n\nНасколько вы довольны ответом? Оцените одним щелчком:\n1 (совсем нет): {rate_link}/1\n2: {rate_link}/2\n3: {rate_link}/3\n4: {rate_link}/4\n5 (очень доволен): {rate_link}/5",
        ),
        ("case_answered", _) => (
            "Răspuns la petiția {registration_number}",
            "Petiția {registration_number} „{subject}” a primit răspuns ({outcome}):\n\n{answer}\n\n{link}\n\nCât de mulțumit sunteți de răspuns? Apreciați-l cu un clic:\n1 (deloc): {rate_link}/1\n2: {rate_link}/2\n3: {rate_link}/3\n4: {rate_link}/4\n5 (foarte mulțumit): {rate_link}/5",
        ),

        ("case_dismissed", "en") => (
            "Your petition {registration_number} will not be examined",
            "Your petition {registration_number} will not be examined.\n\nReason: {reason}\n\n{link}",
        ),
        ("case_dismissed", "ru") => (
            "Ваша петиция {registration_number} не будет рассмотрена",
            "Ваша петиция {registration_number} не будет рассмотрена.\n\nПричина: {reason}\n\n{link}",
        ),
        ("case_dismissed", _) => (
            "Petiția {registration_number} nu va fi examinată",
            "Petiția {registration_number} nu va fi examinată.\n\nMotivul: {reason}\n\n{link}",
        ),

        ("case_withdrawn", "en") => (
            "Petition {registration_number} withdrawn",
            "Petition {registration_number} was withdrawn by the petitioner.\n\n{link}",
        ),
        ("case_withdrawn", "ru") => (
            "Петиция {registration_number} отозвана",
            "Петиция {registration_number} отозвана заявителем.\n\n{link}",
        ),
        ("case_withdrawn", _) => (
            "Petiția {registration_number} a fost retrasă",
            "Petiția {registration_number} a fost retrasă de petiționar.\n\n{link}",
        ),

        ("case_closed", "en") => (
            "Case {registration_number} closed",
            "Case {registration_number} \"{subject}\" is closed.\n\n{reason}\n\n{link}",
        ),
        ("case_closed", "ru") => (
            "Дело {registration_number} закрыто",
            "Дело {registration_number} «{subject}» закрыто.\n\n{reason}\n\n{link}",
        ),
        ("case_closed", _) => (
            "Cazul {registration_number} a fost închis",
            "Cazul {registration_number} „{subject}” a fost închis.\n\n{reason}\n\n{link}",
        ),

        ("case_appealed", "en") => (
            "Appeal against the answer to {registration_number}",
            "The petitioner contests the answer to {registration_number}.\n\n{reason}\n\n{link}",
        ),
        ("case_appealed", "ru") => (
            "Обжалован ответ по {registration_number}",
            "Заявитель обжалует ответ по {registration_number}.\n\n{reason}\n\n{link}",
        ),
        ("case_appealed", _) => (
            "Contestație la răspunsul pentru {registration_number}",
            "Petiționarul contestă răspunsul la {registration_number}.\n\n{reason}\n\n{link}",
        ),

        ("deadline_reminder", "en") => (
            "Reminder: {registration_number} is due on {due}",
            "Case {registration_number} \"{subject}\" must be answered by {due} ({days} days left).\n\n{link}",
        ),
        ("deadline_reminder", "ru") => (
            "Напоминание: срок по {registration_number} — {due}",
            "На дело {registration_number} «{subject}» нужно ответить до {due} (осталось дней: {days}).\n\n{link}",
        ),
        ("deadline_reminder", _) => (
            "Memento: termenul pentru {registration_number} este {due}",
            "Cazul {registration_number} „{subject}” trebuie soluționat până la {due} (mai sunt {days} zile).\n\n{link}",
        ),

        ("deadline_overdue", "en") => (
            "Overdue: {registration_number}",
            "The term to answer case {registration_number} \"{subject}\" ended on {due} and the case is not answered.\n\n{link}",
        ),
        ("deadline_overdue", "ru") => (
            "Просрочено: {registration_number}",
            "Срок ответа по делу {registration_number} «{subject}» истёк {due}, ответа нет.\n\n{link}",
        ),
        ("deadline_overdue", _) => (
            "Termen depășit: {registration_number}",
            "Termenul de răspuns pentru cazul {registration_number} „{subject}” a expirat la {due}, fără răspuns.\n\n{link}",
        ),

        // Account mails: `{name}`, `{link}`, `{hours}` (how long the link works).
        ("verify_email", "en") => (
            "Confirm your e-mail address",
            "Hello {name},\n\nTo finish creating your account on the petitions portal, confirm your address by opening this link (it works for {hours} hours):\n\n{link}\n\nIf you did not create an account, ignore this message.",
        ),
        ("verify_email", "ru") => (
            "Подтвердите адрес электронной почты",
            "Здравствуйте, {name}!\n\nЧтобы завершить регистрацию на портале петиций, подтвердите адрес по этой ссылке (она действует {hours} ч.):\n\n{link}\n\nЕсли вы не регистрировались, проигнорируйте это письмо.",
        ),
        ("verify_email", _) => (
            "Confirmați adresa de e-mail",
            "Bună ziua, {name},\n\nPentru a finaliza crearea contului pe portalul de petiții, confirmați adresa deschizând acest link (valabil {hours} ore):\n\n{link}\n\nDacă nu ați creat un cont, ignorați acest mesaj.",
        ),
        ("account_exists", "en") => (
            "You already have an account",
            "Hello {name},\n\nSomeone tried to create an account on the petitions portal with this address, which already has one. If it was you, log in or reset your password here:\n\n{link}\n\nIf it was not you, ignore this message.",
        ),
        ("account_exists", "ru") => (
            "У вас уже есть учётная запись",
            "Здравствуйте, {name}!\n\nКто-то пытался зарегистрироваться на портале петиций с этим адресом, но учётная запись уже существует. Если это были вы, войдите или восстановите пароль здесь:\n\n{link}\n\nЕсли это были не вы, проигнорируйте письмо.",
        ),
        ("account_exists", _) => (
            "Aveți deja un cont",
            "Bună ziua, {name},\n\nCineva a încercat să creeze un cont pe portalul de petiții cu această adresă, care are deja un cont. Dacă ați fost dumneavoastră, autentificați-vă sau resetați parola aici:\n\n{link}\n\nDacă nu ați fost dumneavoastră, ignorați acest mesaj.",
        ),
        ("reset_password", "en") => (
            "Reset your password",
            "Hello {name},\n\nTo choose a new password, open this link (it works for {hours} hours, once):\n\n{link}\n\nIf you did not ask for it, ignore this message: your password stays the same.",
        ),
        ("reset_password", "ru") => (
            "Восстановление пароля",
            "Здравствуйте, {name}!\n\nЧтобы задать новый пароль, откройте эту ссылку (она действует {hours} ч., один раз):\n\n{link}\n\nЕсли вы не запрашивали восстановление, проигнорируйте письмо: пароль останется прежним.",
        ),
        ("reset_password", _) => (
            "Resetarea parolei",
            "Bună ziua, {name},\n\nPentru a alege o parolă nouă, deschideți acest link (valabil {hours} ore, o singură dată):\n\n{link}\n\nDacă nu ați cerut resetarea, ignorați acest mesaj: parola rămâne aceeași.",
        ),
        ("invite", "en") => (
            "Your account on the petitions portal",
            "Hello {name},\n\nAn administrator of {institution} created a staff account for you on the petitions portal. Choose your password here (the link works for {hours} hours, once):\n\n{link}",
        ),
        ("invite", "ru") => (
            "Ваша учётная запись на портале петиций",
            "Здравствуйте, {name}!\n\nАдминистратор {institution} создал для вас служебную учётную запись на портале петиций. Задайте пароль здесь (ссылка действует {hours} ч., один раз):\n\n{link}",
        ),
        ("invite", _) => (
            "Contul dumneavoastră pe portalul de petiții",
            "Bună ziua, {name},\n\nUn administrator al {institution} v-a creat un cont de serviciu pe portalul de petiții. Alegeți parola aici (link valabil {hours} ore, o singură dată):\n\n{link}",
        ),
        ("filing_confirm", "en") => (
            "Confirm your petition \"{subject}\"",
            "Hello {name},\n\nTo register your petition \"{subject}\", confirm your e-mail address by opening this link within {hours} hours:\n\n{link}\n\nThe petition is registered, and gets its number, once you open the link. If you did not file it, ignore this message.",
        ),
        ("filing_confirm", "ru") => (
            "Подтвердите вашу петицию «{subject}»",
            "Здравствуйте, {name}!\n\nЧтобы зарегистрировать вашу петицию «{subject}», подтвердите адрес электронной почты, открыв эту ссылку в течение {hours} часов:\n\n{link}\n\nПетиция будет зарегистрирована и получит номер, когда вы откроете ссылку. Если вы её не подавали, не обращайте внимания на это письмо.",
        ),
        ("filing_confirm", _) => (
            "Confirmați petiția „{subject}”",
            "Bună ziua, {name},\n\nPentru a înregistra petiția „{subject}”, confirmați adresa de e-mail deschizând acest link în {hours} ore:\n\n{link}\n\nPetiția se înregistrează și primește număr când deschideți linkul. Dacă nu ați depus-o, ignorați acest mesaj.",
        ),

        ("case_link", "en") => (
            "Follow your petition {registration_number}",
            "This link opens your petition {registration_number} \"{subject}\" without an account (it works until {due}):\n\n{link}\n\nDo not forward it: whoever has it can read the case.",
        ),
        ("case_link", "ru") => (
            "Ссылка на вашу петицию {registration_number}",
            "Эта ссылка открывает вашу петицию {registration_number} «{subject}» без учётной записи (действует до {due}):\n\n{link}\n\nНе пересылайте её: любой, у кого она есть, может прочитать дело.",
        ),
        ("case_link", _) => (
            "Urmăriți petiția {registration_number}",
            "Acest link deschide petiția {registration_number} „{subject}” fără cont (valabil până la {due}):\n\n{link}\n\nNu-l transmiteți altcuiva: oricine îl are poate citi cazul.",
        ),

        (_, "en") => (
            "Case {registration_number}: update",
            "There is news on case {registration_number} \"{subject}\": {state}.\n\n{link}",
        ),
        (_, "ru") => (
            "Дело {registration_number}: изменения",
            "По делу {registration_number} «{subject}» есть изменения: {state}.\n\n{link}",
        ),
        (_, _) => (
            "Cazul {registration_number}: noutăți",
            "Sunt noutăți în cazul {registration_number} „{subject}”: {state}.\n\n{link}",
        ),
    }
}

/// Fills `{name}` placeholders from `ctx`.
pub fn fill(text: &str, ctx: &MailContext) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) if ctx.contains_key(&after[..end]) => {
                out.push_str(ctx.get(&after[..end]).map(String::as_str).unwrap_or(""));
                rest = &after[end + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The rendered `(subject, body)` of `template` in `lang`.
pub fn render(template: &str, lang: &str, ctx: &MailContext) -> (String, String) {
    let (subject, body) = texts(template, lang);
    // A subject is one line, whatever the values hold.
    let subject = fill(subject, ctx).replace(['\r', '\n'], " ");
    (subject, fill(body, ctx))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_known_placeholders_and_keeps_the_rest() {
        let mut ctx = MailContext::new();
        ctx.insert("registration_number", "CHI-2026-000001".into());
        ctx.insert("subject", "Line one\nline two".into());
        let (subject, body) = render("case_registered", "ro", &ctx);
        assert_eq!(
            subject,
            "Petiția dumneavoastră a fost înregistrată: CHI-2026-000001"
        );
        assert!(body.contains("„Line one\nline two”"));
        assert!(
            body.contains("{due}"),
            "unknown values stay visible: {body}"
        );
        let (subject, _) = render("case_registered", "en", &ctx);
        assert!(subject.starts_with("Your petition"));
        assert_eq!(
            fill("{a {registration_number}}", &ctx),
            "{a CHI-2026-000001}"
        );
    }
}
