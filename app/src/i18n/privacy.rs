//! The privacy notice (`/confidentialitate`): what personal data the portal keeps, why and on
//! what legal basis, for how long, who sees it, publication, the data subject's rights and
//! where to complain. Linked from the footer and from the filing form's consent boxes.

pub struct PrivacyTexts {
    pub title: &'static str,
    pub intro: &'static str,
    /// Headings, each with its paragraphs.
    pub sections: &'static [(&'static str, &'static [&'static str])],
    pub contact_heading: &'static str,
    pub contact_text: &'static str,
    /// The footer's link.
    pub footer_link: &'static str,
    /// The filing form's link, next to the consent boxes.
    pub form_link: &'static str,
}

pub const RO: PrivacyTexts = PrivacyTexts {
    title: "Confidențialitate și date personale",
    intro: "Această notă explică ce date personale păstrează portalul de petiții, de ce și în ce temei, cât timp, cine le vede și ce drepturi aveți. Operatorul datelor este instituția care administrează portalul; datele ei de contact sunt la sfârșitul paginii.",
    sections: &[
        (
            "Ce date păstrăm",
            &[
                "Datele petiției: numele și prenumele, adresa de e-mail și adresa poștală (dacă le dați), textul petiției, documentele atașate și locul la care se referă.",
                "Dosarul cazului: numărul de înregistrare, pașii examinării, notele interne ale funcționarilor, răspunsul și evaluarea dumneavoastră a răspunsului.",
                "Contul, dacă vă creați unul: adresa de e-mail, numele, limba preferată și amprenta parolei (parola însăși nu este păstrată).",
                "Jurnalul de audit: cine a citit sau a modificat un caz, când și de la ce adresă IP, precum și autentificările.",
                "Cookie-uri strict necesare: sesiunea de autentificare, limba aleasă și mărimea textului. Nu folosim cookie-uri de urmărire sau de publicitate.",
            ],
        ),
        (
            "De ce și în ce temei",
            &[
                "Examinăm petiția pentru că legea ne obligă: în Republica Moldova Codul administrativ nr. 116/2018, în România Ordonanța Guvernului nr. 27/2002 privind petițiile. Prelucrarea datelor are ca temei obligația legală și îndeplinirea unei sarcini de interes public (Legea nr. 195/2024 privind protecția datelor cu caracter personal; art. 6 alin. (1) lit. c) și e) din Regulamentul general privind protecția datelor, RGPD).",
                "Jurnalul de audit ne permite să dovedim cum a fost tratat fiecare caz și să vă protejăm datele de acces neautorizat.",
                "Publicăm o versiune anonimizată a petiției și a răspunsului numai dacă ați bifat acordul pentru publicare la depunere (art. 6 alin. (1) lit. a) RGPD). Acordul este opțional și îl puteți retrage oricând.",
            ],
        ),
        (
            "Cine vede datele",
            &[
                "Funcționarii instituției care examinează cazul și conducătorii lor. Dacă instituția nu este competentă, petiția este transmisă autorității competente, iar dumneavoastră sunteți anunțat.",
                "Furnizorul de e-mail al instituției transmite mesajele despre caz. Nu vindem datele și nu le folosim în alte scopuri.",
            ],
        ),
        (
            "Publicarea cazurilor",
            &[
                "Dacă ați fost de acord, un funcționar pregătește publicarea: portalul găsește automat numele, numerele de telefon, adresele de e-mail, codurile personale (IDNP, CNP) și adresele, iar funcționarul le elimină și adaugă ce a scăpat. Pe pagina publică fiecare eliminare este marcată cu „[date personale eliminate]”. Dumneavoastră și funcționarii vedeți în continuare textul complet.",
                "Pentru a retrage acordul, scrieți instituției: cazul este retras din publicare.",
            ],
        ),
        (
            "Cât timp păstrăm datele",
            &[
                "Dosarul cazului se păstrează cât cere nomenclatorul dosarelor instituției, adică termenul de păstrare stabilit pentru fiecare tip de caz. După acest termen datele personale sunt anonimizate automat: numele, datele de contact, adresele, textele și documentele sunt șterse; rămân doar numărul, datele, categoria și rezultatul, pentru statistici.",
                "Contul se păstrează până îl închideți. O sesiune de autentificare expiră după cel mult 12 ore.",
            ],
        ),
        (
            "Drepturile dumneavoastră",
            &[
                "Acces: aflați ce date avem despre dumneavoastră și primiți o copie a lor.",
                "Rectificare: cereți corectarea datelor greșite sau incomplete.",
                "Ștergere: cereți ștergerea datelor. Cât timp legea cere păstrarea dosarului (pe durata termenului de păstrare), cererea poate fi refuzată, cu motivul legal.",
                "Restricționare și opoziție: cereți limitarea prelucrării sau opuneți-vă ei, din motive legate de situația dumneavoastră.",
                "Retragerea acordului pentru publicare, oricând.",
                "Răspundem în cel mult o lună de la primirea cererii; termenul se poate prelungi cu încă două luni, cu o notificare motivată.",
            ],
        ),
        (
            "Plângeri",
            &[
                "Dacă considerați că datele nu sunt prelucrate legal, vă puteți adresa autorității de protecție a datelor — în Republica Moldova Centrului Național pentru Protecția Datelor cu Caracter Personal (datepersonale.md), în România Autorității Naționale de Supraveghere a Prelucrării Datelor cu Caracter Personal (dataprotection.ro) — sau instanței de judecată.",
            ],
        ),
    ],
    contact_heading: "Contact",
    contact_text: "Pentru orice cerere privind datele personale scrieți instituției:",
    footer_link: "Confidențialitate și date personale",
    form_link: "Cum tratăm datele dumneavoastră personale",
};

pub const RU: PrivacyTexts = PrivacyTexts {
    title: "Конфиденциальность и персональные данные",
    intro: "Здесь объясняется, какие персональные данные хранит портал петиций, зачем и на каком основании, как долго, кто их видит и какие у вас права. Оператор данных — учреждение, которое ведёт портал; его контакты — в конце страницы.",
    sections: &[
        (
            "Какие данные мы храним",
            &[
                "Данные петиции: фамилия и имя, адрес электронной почты и почтовый адрес (если вы их указали), текст петиции, приложенные документы и место, о котором идёт речь.",
                "Дело: регистрационный номер, шаги рассмотрения, внутренние заметки сотрудников, ответ и ваша оценка ответа.",
                "Учётная запись, если вы её создали: адрес электронной почты, имя, язык и отпечаток пароля (сам пароль не хранится).",
                "Журнал аудита: кто и когда читал или изменял дело, с какого IP-адреса, а также входы в систему.",
                "Только необходимые cookie: сеанс входа, выбранный язык и размер текста. Cookie для отслеживания или рекламы не используются.",
            ],
        ),
        (
            "Зачем и на каком основании",
            &[
                "Мы рассматриваем петицию, потому что этого требует закон: в Республике Молдова — Административный кодекс № 116/2018, в Румынии — Постановление Правительства № 27/2002 о петициях. Основание обработки — юридическая обязанность и выполнение задачи в общественных интересах (Закон № 195/2024 о защите персональных данных; ст. 6 п. (1) c) и e) Общего регламента по защите данных, GDPR).",
                "Журнал аудита позволяет доказать, как рассматривалось каждое дело, и защищает ваши данные от несанкционированного доступа.",
                "Обезличенная версия петиции и ответа публикуется, только если при подаче вы отметили согласие на публикацию (ст. 6 п. (1) a) GDPR). Согласие необязательно, и его можно отозвать в любой момент.",
            ],
        ),
        (
            "Кто видит данные",
            &[
                "Сотрудники учреждения, рассматривающие дело, и их руководители. Если учреждение некомпетентно, петиция передаётся компетентному органу, а вас об этом уведомляют.",
                "Почтовый провайдер учреждения доставляет сообщения о деле. Мы не продаём данные и не используем их в других целях.",
            ],
        ),
        (
            "Публикация дел",
            &[
                "Если вы согласились, сотрудник готовит публикацию: портал автоматически находит имена, номера телефонов, адреса электронной почты, личные коды (IDNP, CNP) и адреса, а сотрудник удаляет их и добавляет пропущенное. На публичной странице каждое удаление отмечено как «[персональные данные удалены]». Вы и сотрудники по-прежнему видите полный текст.",
                "Чтобы отозвать согласие, напишите в учреждение: дело снимут с публикации.",
            ],
        ),
        (
            "Как долго хранятся данные",
            &[
                "Дело хранится столько, сколько требует номенклатура дел учреждения, то есть срок хранения, установленный для каждого вида дел. После этого срока персональные данные автоматически обезличиваются: имена, контакты, адреса, тексты и документы удаляются; для статистики остаются только номер, даты, категория и результат.",
                "Учётная запись хранится, пока вы её не закроете. Сеанс входа истекает не позднее чем через 12 часов.",
            ],
        ),
        (
            "Ваши права",
            &[
                "Доступ: узнать, какие данные о вас у нас есть, и получить их копию.",
                "Исправление: потребовать исправить неверные или неполные данные.",
                "Удаление: потребовать удалить данные. Пока закон требует хранить дело (в течение срока хранения), в удалении могут отказать, указав правовое основание.",
                "Ограничение и возражение: потребовать ограничить обработку или возразить против неё по причинам, связанным с вашей ситуацией.",
                "Отзыв согласия на публикацию — в любой момент.",
                "Мы отвечаем не позднее чем через месяц после получения запроса; срок может быть продлён ещё на два месяца с мотивированным уведомлением.",
            ],
        ),
        (
            "Жалобы",
            &[
                "Если вы считаете, что данные обрабатываются незаконно, вы можете обратиться в орган по защите данных — в Республике Молдова в Национальный центр по защите персональных данных (datepersonale.md), в Румынии в Национальный орган по надзору за обработкой персональных данных, ANSPDCP (dataprotection.ro), — или в суд.",
            ],
        ),
    ],
    contact_heading: "Контакты",
    contact_text: "По любому вопросу о персональных данных пишите в учреждение:",
    footer_link: "Конфиденциальность и персональные данные",
    form_link: "Как мы обращаемся с вашими персональными данными",
};

pub const EN: PrivacyTexts = PrivacyTexts {
    title: "Privacy and personal data",
    intro: "This notice explains what personal data the petitions portal keeps, why and on what legal basis, for how long, who sees it and what rights you have. The controller is the institution that runs the portal; its contact details are at the end of the page.",
    sections: &[
        (
            "What we keep",
            &[
                "The petition's data: your full name, e-mail address and postal address (if you give them), the petition's text, the documents you attach and the place it is about.",
                "The case file: the registration number, the steps of the examination, the officers' internal notes, the answer and your rating of it.",
                "Your account, if you create one: e-mail address, name, preferred language and a hash of your password (the password itself is never kept).",
                "The audit trail: who read or changed a case, when and from which IP address, and the logins.",
                "Strictly necessary cookies only: your login session, the chosen language and the text size. No tracking or advertising cookies.",
            ],
        ),
        (
            "Why, and on what legal basis",
            &[
                "We examine your petition because the law requires it: in the Republic of Moldova the Administrative Code no. 116/2018, in Romania Government Ordinance no. 27/2002 on petitions. The processing rests on a legal obligation and on a task carried out in the public interest (Law no. 195/2024 on personal data protection; Article 6(1)(c) and (e) of the General Data Protection Regulation, GDPR).",
                "The audit trail lets us prove how each case was handled and protects your data from unauthorised access.",
                "An anonymised version of the petition and the answer is published only if you ticked the consent to publication when filing (Article 6(1)(a) GDPR). The consent is optional and you may withdraw it at any time.",
            ],
        ),
        (
            "Who sees your data",
            &[
                "The institution's staff examining the case and their managers. If the institution is not competent, the petition is forwarded to the competent authority and you are told.",
                "The institution's e-mail provider delivers the messages about the case. We do not sell your data or use it for anything else.",
            ],
        ),
        (
            "Publication of cases",
            &[
                "If you consented, an officer prepares the publication: the portal finds names, phone numbers, e-mail addresses, personal numbers (IDNP, CNP) and addresses automatically, and the officer removes them and adds what was missed. On the public page each removal is marked “[personal data removed]”. You and the staff still see the full text.",
                "To withdraw your consent, write to the institution: the case is then unpublished.",
            ],
        ),
        (
            "How long we keep it",
            &[
                "The case file is kept as long as the institution's records schedule requires, that is the retention period set for each kind of case. After it the personal data is anonymised automatically: names, contact details, addresses, texts and documents are removed; only the number, dates, category and outcome remain, for statistics.",
                "Your account is kept until you close it. A login session ends after at most 12 hours.",
            ],
        ),
        (
            "Your rights",
            &[
                "Access: learn what data we hold about you and get a copy.",
                "Rectification: have wrong or incomplete data corrected.",
                "Erasure: ask for your data to be erased. While the law requires the file to be kept (during its retention period), the request may be refused, with the legal reason.",
                "Restriction and objection: ask for the processing to be restricted, or object to it on grounds relating to your situation.",
                "Withdrawal of the consent to publication, at any time.",
                "We answer within one month of your request; the term may be extended by two more months, with a reasoned notice.",
            ],
        ),
        (
            "Complaints",
            &[
                "If you believe your data is not processed lawfully, you may complain to the data protection authority — in the Republic of Moldova the National Center for Personal Data Protection (datepersonale.md), in Romania the National Supervisory Authority for Personal Data Processing, ANSPDCP (dataprotection.ro) — or go to court.",
            ],
        ),
    ],
    contact_heading: "Contact",
    contact_text: "For any request about your personal data, write to the institution:",
    footer_link: "Privacy and personal data",
    form_link: "How we handle your personal data",
};
