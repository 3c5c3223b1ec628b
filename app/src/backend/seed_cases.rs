//! Demo cases: about three hundred petitions, complaints, prior complaints and requests for
//! information at the demo directorate, filed over the past twelve months and carried through
//! the workflow as staff and petitioners would have done it, so that every page (queues, case
//! pages, the managers' indicators, "my cases", the public statistics and publications) shows
//! something on the first run.
//!
//! Nothing is written by hand that the service layer writes itself: each case is filed with
//! [`filing::file_case_in`] and every step goes through [`transitions::apply_in`] at its past
//! moment, all steps of all cases in the order of time. Between two steps the deadline
//! ticker's work is done as the ticker does it ([`due_event`] on the due timer rows, at the
//! moment each became due): reminders, terms marked overdue, cases closed when the petitioner
//! did not complete them or did not contest the answer. So registration numbers, terms
//! (working-day calendar), timers, history, audit records and mails are what the real code
//! made of them. Then:
//!
//! - the cases' mails are recorded as sent (`smtp_response` says they were not delivered): the
//!   demo never mails anybody, and the petitioners' addresses are on `example.com` anyway;
//! - some petitioners rate their answer (as [`super::rating::rate`] stores it);
//! - the daily snapshots of open and overdue cases (`case_stats_daily`, which the ticker writes
//!   once a day) are written for every past day, counted from the cases' own history;
//! - a few cases whose petitioner agreed are published, redacted, by the demo officer through
//!   [`super::publication::publish`].
//!
//! Everything but the publications is one transaction: either all cases are there or none.
//! The cases go only into a demo institution that has none yet, so a second run (or a database
//! where people already filed) gets nothing new. A fixed-seed generator makes every run
//! file the same cases with the same histories, relative to the day it runs.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};

use super::calendars;
use super::clock::{local_date, local_moment, time_zone};
use super::definitions;
use super::entity::{
    case_stats_daily, case_timer, category, department, institution, mail_outbox, petition_case,
    public_service, user,
};
use super::filing::{self, NewCase};
use super::transitions::{self, Request, timer_status};
use crate::calendar::Calendar;
use crate::model::AppError;
use crate::workflow::{Actor, Event, Outcome, Role, TimerStatus, TransitionInput, due_event};

/// The demo institution the cases are filed at (see [`super::seed`]).
const INSTITUTION_SLUG: &str = "chisinau-dgass";

/// The generator's seed: the same cases on every run.
const SEED: u64 = 0x5045_5449_5449_4f21;

/// How many cases are drawn at random (the scripted ones come on top: 300 in all).
const RANDOM_CASES: usize = 264;

/// How many consenting, answered cases the demo officer publishes.
const PUBLISHED: usize = 8;

/// Where the demo citizen (Ion Popescu) lives: in Botanica, like all his cases say.
const CITIZEN_ADDRESS: &str = "mun. Chișinău, str. Independenței 12, ap. 45";

/// What the outbox rows of the demo cases say instead of a server's answer.
pub const NOT_DELIVERED: &str = "demo data: recorded as sent, not delivered";

/// What [`seed_demo_cases`] did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct CasesReport {
    pub cases: usize,
    /// Workflow steps taken by staff and petitioners (the registrations not counted).
    pub steps: usize,
    /// Reminders, expiries and automatic closings done as the ticker does them.
    pub timer_events: usize,
    /// Planned steps the workflow refused (a plan that does not fit the workflow): 0.
    pub refused: usize,
    pub rated: usize,
    pub published: usize,
    pub mails: u64,
    pub snapshot_days: usize,
}

// ---------------------------------------------------------------------------------------------
// A small deterministic generator (SplitMix64): the same sequence on every platform and version.

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    /// `lo..=hi`
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        lo + self.below((hi - lo + 1) as u64) as i64
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

// ---------------------------------------------------------------------------------------------
// What the petitions are about.

/// One kind of petition: what it is filed as, where it goes, its texts. Texts name
/// `{placeholders}` filled per case (see [`Vars`]).
struct Topic {
    id: &'static str,
    kind: &'static str,
    category: &'static str,
    /// A service of the registry: a territorial one (`canteen` → `canteen-botanica`), or a
    /// city-wide one prefixed `city:`.
    service: Option<&'static str>,
    /// Examined by the petitioner's territorial directorate (else by the central office).
    local: bool,
    /// Not the directorate's: forwarded to this authority (slug), for this reason.
    forward: Option<(&'static str, &'static str)>,
    /// The petition names a place (`address`).
    place: bool,
    weight: u64,
    subject: &'static str,
    body: &'static str,
    /// Admitted, partly admitted, rejected.
    answers: [&'static str; 3],
}

const TOPICS: &[Topic] = &[
    Topic {
        id: "home-care-visits",
        kind: "complaint",
        category: "home-care",
        service: Some("home-care"),
        local: true,
        forward: None,
        place: false,
        weight: 14,
        subject: "Lucrătorul social nu respectă graficul vizitelor la domiciliu",
        body: "{Rel}, {rel_name}, în vârstă de {rel_age}, beneficiază de serviciul de îngrijire socială la domiciliu. În ultima lună lucrătorul social a venit doar o dată pe săptămână în loc de trei ori, iar medicamentele și produsele alimentare nu au fost procurate la timp. Vă rog să verificați situația și să asigurați respectarea graficului de vizite.\n\n{name}, {addr}, tel. {phone}",
        answers: [
            "Ca răspuns la petiția dumneavoastră vă comunicăm că verificarea efectuată de șeful Serviciului de îngrijire socială la domiciliu {sector} a confirmat că vizitele nu au fost făcute conform graficului. Lucrătorului social i s-a aplicat o sancțiune disciplinară, iar începând cu luna {next_month} vizitele vor fi efectuate de trei ori pe săptămână. Vă mulțumim pentru semnalare.",
            "Ca răspuns la petiția dumneavoastră vă comunicăm că verificarea a arătat că în luna {month} două vizite nu au avut loc din cauza concediului medical al lucrătorului social, fără a fi înlocuit. Vizitele au fost reluate conform graficului; procurarea medicamentelor se face în continuare o dată pe săptămână, în baza rețetelor prezentate.",
            "Ca răspuns la petiția dumneavoastră vă comunicăm că verificarea fișei de evidență a vizitelor, semnată de beneficiar, nu a confirmat încălcările semnalate: vizitele au fost efectuate conform graficului aprobat. Pentru modificarea graficului vă rugăm să vă adresați Direcției asistență socială {sector}.",
        ],
    },
    Topic {
        id: "home-care-request",
        kind: "petition",
        category: "home-care",
        service: Some("home-care"),
        local: true,
        forward: None,
        place: false,
        weight: 12,
        subject: "Solicit includerea în serviciul de îngrijire socială la domiciliu",
        body: "Subsemnatul(a) {name}, domiciliat(ă) în {addr}, vă rog să includeți în serviciul de îngrijire socială la domiciliu pe {rel}, {rel_name}, în vârstă de {rel_age}. Din cauza stării de sănătate nu se mai poate deplasa singur(ă) la magazin și la farmacie, iar eu lucrez în alt oraș și nu pot veni zilnic. Anexez copia buletinului și certificatul medical.\n\nTelefon de contact: {phone}",
        answers: [
            "Ca răspuns la petiția dumneavoastră vă comunicăm că, în urma evaluării la domiciliu efectuate de asistentul social comunitar, persoana a fost inclusă în serviciul de îngrijire socială la domiciliu {sector} începând cu data de 1 {next_month}. Lucrătorul social vă va contacta pentru stabilirea graficului de vizite.",
            "Ca răspuns la petiția dumneavoastră vă comunicăm că, în urma evaluării la domiciliu, persoana a fost inclusă în lista de așteptare a serviciului de îngrijire socială la domiciliu {sector}. Până la eliberarea unui loc beneficiază de prânz gratuit la cantina socială, livrat la domiciliu, și de vizita lunară a asistentului social comunitar.",
            "Ca răspuns la petiția dumneavoastră vă comunicăm că, în urma evaluării la domiciliu, s-a constatat că persoana nu întrunește criteriile de eligibilitate prevăzute de regulamentul serviciului: se poate îngriji singură, cu sprijinul familiei. Decizia poate fi contestată printr-o cerere prealabilă în termen de 30 de zile.",
        ],
    },
    Topic {
        id: "canteen-admission",
        kind: "petition",
        category: "social-canteens",
        service: Some("canteen"),
        local: true,
        forward: None,
        place: false,
        weight: 14,
        subject: "Cerere de înscriere la cantina socială",
        body: "Subsemnatul(a) {name}, pensionar(ă), domiciliat(ă) în {addr}, locuiesc singur(ă) și am o pensie de {pension} de lei, din care achit serviciile comunale și medicamentele. Vă rog să mă înscrieți în lista beneficiarilor cantinei sociale din sectorul {sector}.\n\nTelefon: {phone}",
        answers: [
            "Ca răspuns la cererea dumneavoastră vă comunicăm că ați fost înscris(ă) în lista beneficiarilor Cantinei sociale {sector} pentru o perioadă de șase luni. Prânzul se servește de luni până vineri, între orele 12:00 și 14:00; la prima vizită prezentați buletinul de identitate.",
            "Ca răspuns la cererea dumneavoastră vă comunicăm că Cantina socială {sector} funcționează la capacitate maximă. Ați fost inclus(ă) în lista de așteptare, iar până la eliberarea unui loc vi s-a acordat un ajutor material unic de 700 de lei pentru procurarea produselor alimentare.",
            "Ca răspuns la cererea dumneavoastră vă comunicăm că venitul lunar declarat depășește plafonul stabilit pentru înscrierea la cantina socială. Vă recomandăm să solicitați ajutor material la Direcția asistență socială {sector}.",
        ],
    },
    Topic {
        id: "canteen-quality",
        kind: "complaint",
        category: "social-canteens",
        service: Some("canteen"),
        local: true,
        forward: None,
        place: true,
        weight: 8,
        subject: "Calitatea prânzurilor la cantina socială",
        body: "În ultimele două săptămâni porțiile servite la Cantina socială {sector} au fost mult mai mici, iar mâncarea a fost adesea rece. Beneficiarii care nu se pot deplasa nu au primit prânzul la domiciliu în zilele de vineri. Vă rog să verificați activitatea cantinei.\n\n{name}, tel. {phone}",
        answers: [
            "Ca răspuns la petiția dumneavoastră vă comunicăm că la controlul efectuat la Cantina socială {sector} s-au constatat abateri de la normele de gramaj. Administratorul cantinei a fost sancționat, iar livrarea prânzurilor la domiciliu a fost reluată în toate zilele lucrătoare.",
            "Ca răspuns la petiția dumneavoastră vă comunicăm că normele de gramaj sunt respectate, însă s-a constatat că transportul nu păstrează temperatura mâncării; cantina a procurat cutii termoizolante noi. Livrarea la domiciliu în zilele de vineri nu poate fi asigurată deocamdată din lipsă de personal.",
            "Ca răspuns la petiția dumneavoastră vă comunicăm că controlul nu a confirmat încălcările semnalate: porțiile corespund normelor aprobate, iar meniul este coordonat cu Agenția Națională pentru Sănătate Publică.",
        ],
    },
    Topic {
        id: "social-aid-delay",
        kind: "petition",
        category: "social-benefits",
        service: None,
        local: true,
        forward: None,
        place: false,
        weight: 12,
        subject: "Întârzierea plății ajutorului social pentru luna {month}",
        body: "Subsemnatul(a) {name}, domiciliat(ă) în {addr}, beneficiez de ajutor social. Plata pentru luna {month} nu a fost efectuată până în prezent, iar la oficiul poștal mi s-a spus că lista nu a parvenit. Am doi copii minori și nu am alte venituri. Vă rog să verificați și să dispuneți achitarea.\n\nTelefon: {phone}",
        answers: [
            "Ca răspuns la petiția dumneavoastră vă comunicăm că plata ajutorului social pentru luna {month} a întârziat din cauza actualizării datelor în Sistemul informațional „Asistența socială”. Suma a fost transferată și poate fi ridicată la oficiul poștal de la domiciliu începând cu data de 20 a lunii curente.",
            "Ca răspuns la petiția dumneavoastră vă comunicăm că ajutorul social a fost recalculat în baza veniturilor declarate la ultima evaluare; plata pentru luna {month} a fost efectuată într-un cuantum mai mic. Diferența poate fi solicitată la reevaluarea dosarului, cu actele confirmative ale veniturilor.",
            "Ca răspuns la petiția dumneavoastră vă comunicăm că dreptul la ajutor social a încetat la expirarea perioadei pentru care a fost stabilit. Pentru o nouă perioadă este necesar să depuneți o cerere cu actele confirmative la Direcția asistență socială {sector}.",
        ],
    },
    Topic {
        id: "heating-aid",
        kind: "petition",
        category: "social-benefits",
        service: None,
        local: true,
        forward: None,
        place: false,
        weight: 10,
        subject: "Ajutorul pentru perioada rece a anului nu a fost achitat",
        body: "Subsemnatul(a) {name}, pensionar(ă), domiciliat(ă) în {addr}, am depus actele pentru ajutorul pentru perioada rece a anului, însă până acum nu am primit nicio plată, iar factura la gaze a crescut. Vă rog să verificați dosarul meu și să-mi comunicați când voi primi ajutorul.\n\nTelefon: {phone}",
        answers: [
            "Ca răspuns la petiția dumneavoastră vă comunicăm că dosarul a fost aprobat: ajutorul pentru perioada rece a anului a fost calculat pentru lunile noiembrie–martie și va fi achitat împreună cu plata curentă, inclusiv sumele restante.",
            "Ca răspuns la petiția dumneavoastră vă comunicăm că ajutorul pentru perioada rece a anului a fost aprobat începând cu luna depunerii cererii; pentru lunile anterioare plata nu poate fi efectuată retroactiv.",
            "Ca răspuns la petiția dumneavoastră vă comunicăm că venitul global lunar mediu al familiei depășește venitul lunar minim garantat majorat, stabilit pentru acordarea ajutorului pentru perioada rece a anului.",
        ],
    },
    Topic {
        id: "transport-compensation",
        kind: "petition",
        category: "social-benefits",
        service: None,
        local: true,
        forward: None,
        place: false,
        weight: 7,
        subject: "Compensația pentru serviciile de transport a persoanei cu dizabilități locomotorii",
        body: "Subsemnatul(a) {name}, persoană cu dizabilitate locomotorie severă, domiciliat(ă) în {addr}, vă rog să-mi stabiliți compensația pentru serviciile de transport pentru anul {year}. Anexez copia certificatului de încadrare în grad de dizabilitate și a buletinului de identitate.\n\nTelefon: {phone}",
        answers: [
            "Ca răspuns la cererea dumneavoastră vă comunicăm că compensația pentru serviciile de transport a fost stabilită pentru anul {year} și va fi achitată trimestrial, prin oficiul poștal de la domiciliu.",
            "Ca răspuns la cererea dumneavoastră vă comunicăm că compensația pentru serviciile de transport a fost stabilită începând cu trimestrul în care ați depus cererea; pentru trimestrele anterioare cererea nu a fost depusă în termen.",
            "Ca răspuns la cererea dumneavoastră vă comunicăm că gradul de dizabilitate stabilit prin certificatul prezentat nu dă dreptul la compensația pentru serviciile de transport, care se acordă persoanelor cu dizabilități severe ale aparatului locomotor.",
        ],
    },
    Topic {
        id: "special-transport",
        kind: "complaint",
        category: "personal-assistants",
        service: None,
        local: false,
        forward: None,
        place: false,
        weight: 6,
        subject: "Transportul specializat nu vine la programările pentru dializă",
        body: "{Rel}, {rel_name}, în vârstă de {rel_age}, se deplasează în scaun cu rotile și face dializă de trei ori pe săptămână. De o lună microbuzul adaptat al serviciului de transport specializat pentru persoanele cu dizabilități nu mai vine la programările confirmate, iar operatorul nu răspunde la telefon. Vă rog să soluționați problema.\n\n{name}, {addr}, tel. {phone}",
        answers: [
            "Ca răspuns la petiția dumneavoastră vă comunicăm că microbuzul adaptat a fost în reparație, iar programările nu au fost redistribuite. Începând cu săptămâna viitoare transportul va fi asigurat în toate zilele de dializă; operatorul serviciului vă va contacta pentru confirmarea orarului.",
            "Ca răspuns la petiția dumneavoastră vă comunicăm că transportul va fi asigurat lunea și miercurea; pentru ziua de vineri, până la achiziția celui de-al doilea microbuz adaptat, vi se compensează costul deplasării cu taxiul în limita a 300 de lei pe lună.",
            "Ca răspuns la petiția dumneavoastră vă comunicăm că serviciul de transport specializat se acordă în limita capacității sale, iar toate programările sunt ocupate. Cererea a fost inclusă în lista de așteptare și veți fi contactat(ă) la eliberarea unui loc.",
        ],
    },
    Topic {
        id: "day-centre",
        kind: "petition",
        category: "elderly-care",
        service: Some("day-centre"),
        local: true,
        forward: None,
        place: false,
        weight: 8,
        subject: "Înscrierea la Centrul de zi pentru persoanele vârstnice",
        body: "Subsemnatul(a) {name}, în vârstă de {age} de ani, domiciliat(ă) în {addr}, aș dori să frecventez Centrul de zi pentru persoanele vârstnice din sectorul {sector} (activități de grup, gimnastică, consiliere juridică). Vă rog să-mi comunicați ce acte sunt necesare și dacă sunt locuri disponibile.\n\nTelefon: {phone}",
        answers: [
            "Ca răspuns la cererea dumneavoastră vă comunicăm că sunt locuri disponibile la Centrul de zi pentru persoanele vârstnice {sector}. Pentru înscriere prezentați buletinul de identitate și legitimația de pensionar; centrul activează de luni până vineri, între orele 9:00 și 17:00.",
            "Ca răspuns la cererea dumneavoastră vă comunicăm că grupele de gimnastică ale Centrului de zi {sector} sunt completate; vă puteți înscrie la activitățile de grup și la consilierea juridică, iar la gimnastică veți fi inclus(ă) la eliberarea unui loc.",
            "Ca răspuns la cererea dumneavoastră vă comunicăm că toate locurile Centrului de zi {sector} sunt ocupate în acest semestru. Vă propunem Centrul de zi din sectorul vecin, unde sunt locuri disponibile.",
        ],
    },
    Topic {
        id: "day-centre-hours",
        kind: "complaint",
        category: "elderly-care",
        service: Some("day-centre"),
        local: true,
        forward: None,
        place: true,
        weight: 5,
        subject: "Centrul de zi pentru vârstnici se închide după ora 13:00",
        body: "Sunt beneficiar(ă) al Centrului de zi pentru persoanele vârstnice {sector}. De la începutul lunii {month} centrul se închide după ora 13:00, iar activitățile de după-amiază au fost anulate fără nicio explicație. Vă rog să restabiliți programul anterior.\n\n{name}, tel. {phone}",
        answers: [
            "Ca răspuns la petiția dumneavoastră vă comunicăm că programul redus a fost cauzat de lucrările de reparație a sistemului de încălzire, încheiate între timp. Începând de luni centrul activează din nou între orele 9:00 și 17:00, cu toate activitățile de după-amiază.",
            "Ca răspuns la petiția dumneavoastră vă comunicăm că, din cauza unui post vacant de animator, activitățile de după-amiază au loc deocamdată doar marțea și joia. Postul a fost scos la concurs, iar programul complet va fi reluat după angajare.",
            "Ca răspuns la petiția dumneavoastră vă comunicăm că programul centrului a fost modificat prin decizia Direcției, în urma consultării beneficiarilor; activitățile de după-amiază au fost mutate la Centrul de zi din sectorul vecin.",
        ],
    },
    Topic {
        id: "personal-assistant",
        kind: "petition",
        category: "personal-assistants",
        service: Some("personal-assistance"),
        local: true,
        forward: None,
        place: false,
        weight: 9,
        subject: "Angajarea în calitate de asistent personal",
        body: "Subsemnatul(a) {name}, domiciliat(ă) în {addr}, îngrijesc permanent pe {rel}, {rel_name}, persoană cu dizabilitate severă care necesită îngrijire și supraveghere permanentă. Vă rog să mă angajați în calitate de asistent personal. Anexez certificatul de încadrare în grad de dizabilitate și avizul medicului de familie.\n\nTelefon: {phone}",
        answers: [
            "Ca răspuns la cererea dumneavoastră vă comunicăm că ați fost angajat(ă) în calitate de asistent personal în cadrul Serviciului asistență personală {sector}, începând cu data semnării contractului individual de muncă. Vă rugăm să vă prezentați la secția resurse umane cu actele de identitate.",
            "Ca răspuns la cererea dumneavoastră vă comunicăm că cererea a fost aprobată și inclusă în lista de așteptare a Serviciului asistență personală {sector}; angajarea se face în ordinea depunerii cererilor, pe măsura alocării unităților de personal.",
            "Ca răspuns la cererea dumneavoastră vă comunicăm că persoana îngrijită beneficiază de alocația pentru îngrijire, însoțire și supraveghere, care nu se cumulează cu serviciul de asistență personală. Puteți opta pentru unul dintre ele printr-o cerere scrisă.",
        ],
    },
    Topic {
        id: "homeless",
        kind: "complaint",
        category: "homeless",
        service: Some("city:homeless-shelter"),
        local: false,
        forward: None,
        place: true,
        weight: 6,
        subject: "Persoană fără adăpost în scara blocului",
        body: "De două săptămâni, în scara blocului de pe {place}, doarme un bărbat în vârstă, fără adăpost. Noaptea temperatura scade sub zero și ne temem pentru viața lui. Vă rog să interveniți și să-i oferiți un loc la Centrul de plasament temporar.\n\n{name}, tel. {phone}",
        answers: [
            "Ca răspuns la petiția dumneavoastră vă comunicăm că echipa mobilă a Centrului de plasament temporar pentru persoanele fără adăpost s-a deplasat la adresa indicată. Persoana a acceptat plasamentul și beneficiază de cazare, hrană și asistență medicală.",
            "Ca răspuns la petiția dumneavoastră vă comunicăm că echipa mobilă s-a deplasat la adresa indicată. Persoana a refuzat plasamentul în centru; i s-au oferit haine de iarnă și un pachet alimentar, iar echipa o va vizita săptămânal.",
            "Ca răspuns la petiția dumneavoastră vă comunicăm că la deplasarea echipei mobile persoana nu a fost găsită la adresa indicată. Dacă situația se repetă, vă rugăm să apelați linia telefonică a Centrului de plasament temporar, disponibilă nonstop.",
        ],
    },
    Topic {
        id: "child-protection",
        kind: "complaint",
        category: "child-protection",
        service: None,
        local: true,
        forward: None,
        place: true,
        weight: 5,
        subject: "Copii lăsați fără supraveghere în familia vecinilor",
        body: "Locuiesc pe {place}. În apartamentul vecin doi copii de vârstă școlară rămân des singuri câteva zile, nu merg la școală și cer mâncare de la vecini. Vă rog să verificați situația familiei.\n\n{name}, tel. {phone}",
        answers: [
            "Ca răspuns la petiția dumneavoastră vă comunicăm că specialistul în protecția drepturilor copilului a evaluat situația familiei împreună cu inspectorul de sector. Familia a fost luată în evidență, copiii frecventează din nou școala, iar mama beneficiază de sprijin familial.",
            "Ca răspuns la petiția dumneavoastră vă comunicăm că evaluarea a confirmat parțial cele semnalate: copiii rămân uneori în grija fratelui mai mare. Familia este monitorizată de asistentul social comunitar; nu s-au constatat motive pentru separarea copiilor de familie.",
            "Ca răspuns la petiția dumneavoastră vă comunicăm că evaluarea nu a confirmat informația: în lipsa părinților copiii sunt îngrijiți de bunică și frecventează școala.",
        ],
    },
    Topic {
        id: "school-medical",
        kind: "complaint",
        category: "school-medical",
        service: Some("city:school-medical-offices"),
        local: false,
        forward: None,
        place: false,
        weight: 4,
        subject: "Cabinetul medical al liceului nu are asistentă medicală",
        body: "Fiica mea învață în clasa a {grade}-a la un liceu din sectorul {sector}. De la începutul anului școlar cabinetul medical al liceului este închis, deoarece nu a fost angajată o asistentă medicală. Vă rog să asigurați activitatea cabinetului.\n\n{name}, tel. {phone}",
        answers: [
            "Ca răspuns la petiția dumneavoastră vă comunicăm că în cabinetul medical al liceului a fost angajată o asistentă medicală, care activează zilnic între orele 8:00 și 15:00.",
            "Ca răspuns la petiția dumneavoastră vă comunicăm că postul de asistentă medicală a fost scos la concurs; până la angajare, asistenta medicală a gimnaziului vecin asigură cabinetul în zilele de luni, miercuri și vineri.",
            "Ca răspuns la petiția dumneavoastră vă comunicăm că, potrivit verificării, cabinetul medical al liceului activează conform programului afișat la intrare; asistenta medicală a fost în concediu medical în perioada indicată.",
        ],
    },
    Topic {
        id: "community-medical",
        kind: "petition",
        category: "community-medical",
        service: None,
        local: true,
        forward: None,
        place: false,
        weight: 4,
        subject: "Vaccinarea antigripală la domiciliu pentru o persoană imobilizată",
        body: "{Rel}, {rel_name}, în vârstă de {rel_age}, este imobilizat(ă) la pat. Medicul de familie ne-a spus că nu poate veni la domiciliu pentru vaccinarea antigripală. Vă rog să organizați vaccinarea la domiciliu.\n\n{name}, {addr}, tel. {phone}",
        answers: [
            "Ca răspuns la cererea dumneavoastră vă comunicăm că asistentul medical comunitar va efectua vaccinarea la domiciliu; veți fi contactat(ă) telefonic pentru stabilirea zilei.",
            "Ca răspuns la cererea dumneavoastră vă comunicăm că vaccinarea la domiciliu va fi efectuată după sosirea următorului lot de vaccin; persoana a fost inclusă în lista prioritară.",
            "Ca răspuns la cererea dumneavoastră vă comunicăm că vaccinarea la domiciliu se organizează de centrul de sănătate la care persoana este înregistrată; cererea a fost transmisă medicului de familie, care vă va contacta.",
        ],
    },
    Topic {
        id: "material-aid",
        kind: "petition",
        category: "social-benefits",
        service: None,
        local: true,
        forward: None,
        place: false,
        weight: 10,
        subject: "Solicit ajutor material pentru procurarea medicamentelor",
        body: "Subsemnatul(a) {name}, domiciliat(ă) în {addr}, am suferit o intervenție chirurgicală și am cheltuieli mari pentru medicamente, care nu sunt compensate. Pensia mea este de {pension} de lei. Vă rog să-mi acordați un ajutor material unic. Anexez rețetele și bonurile fiscale.\n\nTelefon: {phone}",
        answers: [
            "Ca răspuns la cererea dumneavoastră vă comunicăm că Comisia pentru acordarea ajutorului material v-a aprobat un ajutor material unic de 1 500 de lei, care va fi transferat pe contul de card în decurs de zece zile lucrătoare.",
            "Ca răspuns la cererea dumneavoastră vă comunicăm că Comisia pentru acordarea ajutorului material v-a aprobat un ajutor material unic de 700 de lei, în limita mijloacelor disponibile în acest trimestru.",
            "Ca răspuns la cererea dumneavoastră vă comunicăm că ați beneficiat de ajutor material unic în acest an; potrivit regulamentului, ajutorul se acordă o singură dată pe an.",
        ],
    },
    Topic {
        id: "kindergarten",
        kind: "petition",
        category: "nurseries",
        service: None,
        local: false,
        forward: Some((
            "chisinau-primaria",
            "Înscrierea copiilor în instituțiile de educație timpurie ține de competența Direcției generale educație, tineret și sport a Primăriei municipiului Chișinău, căreia i-a fost transmisă petiția.",
        )),
        place: false,
        weight: 5,
        subject: "Loc la grădiniță pentru copilul meu",
        body: "Fiul meu are trei ani și de un an este în lista de așteptare pentru grădinița din apropierea casei, de pe {street}. Lucrez în ture și nu am cu cine să-l las. Vă rog să-l înscrieți la grădiniță.\n\n{name}, {addr}, tel. {phone}",
        answers: ["", "", ""],
    },
    Topic {
        id: "pension",
        kind: "petition",
        category: "social-benefits",
        service: None,
        local: false,
        forward: Some((
            "cnas",
            "Stabilirea și recalcularea pensiilor țin de competența Casei Naționale de Asigurări Sociale, căreia i-a fost transmisă petiția.",
        )),
        place: false,
        weight: 4,
        subject: "Recalcularea pensiei de dizabilitate după indexare",
        body: "Subsemnatul(a) {name}, domiciliat(ă) în {addr}, beneficiez de pensie de dizabilitate. După indexarea din aprilie cuantumul pensiei mele nu s-a modificat. Vă rog să verificați calculul pensiei.\n\nTelefon: {phone}",
        answers: ["", "", ""],
    },
    Topic {
        id: "rehabilitation",
        kind: "petition",
        category: "social-benefits",
        service: None,
        local: false,
        forward: Some((
            "anas",
            "Repartizarea biletelor de reabilitare și tratament balneosanatorial ține de competența Agenției Naționale Asistență Socială, căreia i-a fost transmisă petiția.",
        )),
        place: false,
        weight: 3,
        subject: "Bilet de tratament balneosanatorial pentru o persoană cu dizabilități",
        body: "Subsemnatul(a) {name}, persoană cu dizabilitate accentuată, domiciliat(ă) în {addr}, vă rog să-mi acordați un bilet de tratament balneosanatorial pentru anul {year}. Ultima dată am beneficiat de tratament acum trei ani.\n\nTelefon: {phone}",
        answers: ["", "", ""],
    },
    Topic {
        id: "info-canteens",
        kind: "information_request",
        category: "public-information",
        service: None,
        local: false,
        forward: None,
        place: false,
        weight: 5,
        subject: "Lista cantinelor sociale și numărul de beneficiari",
        body: "În temeiul Legii nr. 148/2023 privind accesul la informațiile de interes public, vă rog să-mi furnizați lista cantinelor sociale din municipiul Chișinău, cu adresele lor și numărul de beneficiari ai fiecăreia în anul {prev_year}. Aștept răspunsul în format electronic.\n\n{name}",
        answers: [
            "Ca răspuns la solicitarea dumneavoastră vă transmitem lista celor zece cantine sociale din municipiul Chișinău, cu adresele lor și numărul mediu lunar de beneficiari în anul {prev_year} (în total 2 350 de persoane).",
            "Ca răspuns la solicitarea dumneavoastră vă transmitem lista cantinelor sociale, publicată și pe pagina web a Direcției. Numărul de beneficiari pe fiecare cantină va fi disponibil după aprobarea raportului anual de activitate.",
            "Ca răspuns la solicitarea dumneavoastră vă comunicăm că Direcția nu deține informația în forma solicitată: evidența beneficiarilor se ține pe sectoare, nu pe cantine. Vă putem furniza numărul de beneficiari pe sectoare.",
        ],
    },
    Topic {
        id: "info-home-care-budget",
        kind: "information_request",
        category: "public-information",
        service: None,
        local: false,
        forward: None,
        place: false,
        weight: 4,
        subject: "Bugetul serviciului de îngrijire socială la domiciliu",
        body: "Vă rog să-mi comunicați bugetul aprobat și executat în anul {prev_year} pentru serviciul de îngrijire socială la domiciliu, numărul de lucrători sociali și numărul de beneficiari în fiecare sector al municipiului.\n\n{name}",
        answers: [
            "Ca răspuns la solicitarea dumneavoastră vă transmitem în anexă bugetul aprobat și executat al serviciului de îngrijire socială la domiciliu pentru anul {prev_year}, cu numărul de lucrători sociali și de beneficiari pe sectoare.",
            "Ca răspuns la solicitarea dumneavoastră vă transmitem bugetul aprobat și executat pentru anul {prev_year}; numărul de beneficiari pe sectoare este publicat în raportul anual, disponibil pe pagina web a Direcției.",
            "Ca răspuns la solicitarea dumneavoastră vă comunicăm că raportul de executare a bugetului pentru anul {prev_year} nu a fost încă aprobat; informația va fi publicată după aprobare.",
        ],
    },
    Topic {
        id: "info-assistants",
        kind: "information_request",
        category: "public-information",
        service: None,
        local: false,
        forward: None,
        place: false,
        weight: 3,
        subject: "Numărul de asistenți personali și lista de așteptare",
        body: "Vă rog să-mi comunicați câți asistenți personali sunt angajați în prezent în fiecare sector al municipiului Chișinău și câte persoane se află în lista de așteptare pentru acest serviciu.\n\n{name}",
        answers: [
            "Ca răspuns la solicitarea dumneavoastră vă comunicăm că în prezent sunt angajați 1 184 de asistenți personali, iar în lista de așteptare se află 312 persoane; repartizarea pe sectoare este prezentată în anexă.",
            "Ca răspuns la solicitarea dumneavoastră vă comunicăm numărul de asistenți personali angajați pe sectoare (în anexă); lista de așteptare conține date cu caracter personal și poate fi comunicată doar ca număr total: 312 persoane.",
            "Ca răspuns la solicitarea dumneavoastră vă comunicăm că informația solicitată se referă la date cu caracter personal ale persoanelor din lista de așteptare și nu poate fi furnizată în forma cerută.",
        ],
    },
    Topic {
        id: "prior-social-aid",
        kind: "prior_complaint",
        category: "social-benefits",
        service: None,
        local: true,
        forward: None,
        place: false,
        weight: 5,
        subject: "Cerere prealabilă împotriva deciziei de refuz al ajutorului social",
        body: "Subsemnatul(a) {name}, domiciliat(ă) în {addr}, contest decizia nr. {decision} din {decision_date}, prin care mi s-a refuzat stabilirea ajutorului social. La evaluare nu s-a ținut cont că în familie este o persoană cu dizabilitate, iar venitul a fost calculat greșit. Solicit anularea deciziei și reexaminarea cererii.\n\nTelefon: {phone}",
        answers: [
            "Ca răspuns la cererea prealabilă vă comunicăm că aceasta a fost admisă: decizia nr. {decision} a fost revocată, iar cererea de stabilire a ajutorului social va fi reexaminată cu includerea tuturor membrilor familiei.",
            "Ca răspuns la cererea prealabilă vă comunicăm că aceasta a fost admisă parțial: decizia nr. {decision} a fost modificată, venitul familiei a fost recalculat, iar ajutorul social a fost stabilit într-un cuantum redus.",
            "Ca răspuns la cererea prealabilă vă comunicăm că decizia nr. {decision} a fost emisă legal, în baza actelor prezentate la evaluare. Decizia poate fi contestată în instanța de contencios administrativ în termen de 30 de zile.",
        ],
    },
    Topic {
        id: "prior-home-care",
        kind: "prior_complaint",
        category: "home-care",
        service: Some("home-care"),
        local: true,
        forward: None,
        place: false,
        weight: 3,
        subject: "Contestarea deciziei de sistare a serviciului de îngrijire la domiciliu",
        body: "Subsemnatul(a) {name}, domiciliat(ă) în {addr}, contest decizia nr. {decision} din {decision_date}, prin care a fost sistat serviciul de îngrijire socială la domiciliu pentru {rel}, {rel_name}, în vârstă de {rel_age}. Starea sănătății nu s-a îmbunătățit, iar eu nu locuiesc în același oraș. Solicit anularea deciziei.\n\nTelefon: {phone}",
        answers: [
            "Ca răspuns la cererea prealabilă vă comunicăm că aceasta a fost admisă: decizia nr. {decision} a fost revocată, iar serviciul de îngrijire socială la domiciliu a fost reluat.",
            "Ca răspuns la cererea prealabilă vă comunicăm că aceasta a fost admisă parțial: serviciul a fost reluat cu două vizite pe săptămână, în baza unei noi evaluări la domiciliu.",
            "Ca răspuns la cererea prealabilă vă comunicăm că decizia nr. {decision} a fost emisă în urma reevaluării, care a constatat că persoana se poate îngriji singură. Decizia poate fi contestată în instanța de contencios administrativ în termen de 30 de zile.",
        ],
    },
];

// ---------------------------------------------------------------------------------------------
// The petitioners and their city.

const FEMALE: &[&str] = &[
    "Valentina",
    "Maria",
    "Elena",
    "Tatiana",
    "Natalia",
    "Ana",
    "Galina",
    "Lidia",
    "Svetlana",
    "Olga",
    "Ecaterina",
    "Angela",
    "Vera",
    "Nadejda",
    "Liuba",
    "Larisa",
    "Zinaida",
    "Raisa",
    "Eugenia",
    "Cristina",
    "Mariana",
    "Aurelia",
    "Silvia",
    "Irina",
];
const MALE: &[&str] = &[
    "Ion",
    "Vasile",
    "Gheorghe",
    "Nicolae",
    "Mihai",
    "Andrei",
    "Victor",
    "Sergiu",
    "Dumitru",
    "Petru",
    "Valeriu",
    "Alexandru",
    "Igor",
    "Oleg",
    "Anatol",
    "Tudor",
    "Iurie",
    "Constantin",
    "Grigore",
    "Vladimir",
    "Ștefan",
    "Pavel",
];
const SURNAMES: &[&str] = &[
    "Rusu",
    "Ceban",
    "Cojocaru",
    "Popa",
    "Ciobanu",
    "Țurcanu",
    "Lungu",
    "Rotaru",
    "Botnaru",
    "Moraru",
    "Sârbu",
    "Grosu",
    "Bivol",
    "Cazacu",
    "Guțu",
    "Melnic",
    "Croitoru",
    "Bejenari",
    "Ursu",
    "Cebotari",
    "Prodan",
    "Caraman",
    "Bodrug",
    "Donică",
    "Plămădeală",
    "Roșca",
    "Vrabie",
    "Eșanu",
    "Zaharia",
    "Bordian",
    "Cucu",
    "Golban",
    "Arnăut",
    "Negru",
    "Stratan",
];

/// Relatives a petition is about: how the petitioner names them, whether a woman, age range.
const RELATIVES: &[(&str, bool, i64, i64)] = &[
    ("mama mea", true, 72, 91),
    ("tatăl meu", false, 74, 90),
    ("bunica mea", true, 80, 94),
    ("bunicul meu", false, 80, 92),
    ("soția mea", true, 66, 84),
    ("soțul meu", false, 67, 85),
    ("fiul meu", false, 9, 34),
    ("fiica mea", true, 8, 31),
];

/// The territorial directorates' areas (as in [`super::seed`]), with their weight (people) and
/// streets.
const SECTORS: &[(&str, &str, u64, &[&str])] = &[
    (
        "botanica",
        "Botanica",
        25,
        &[
            "bd. Dacia",
            "str. Independenței",
            "bd. Decebal",
            "str. Grenoble",
            "str. Cuza Vodă",
            "str. Trandafirilor",
            "str. Sarmizegetusa",
            "bd. Traian",
        ],
    ),
    (
        "buiucani",
        "Buiucani",
        18,
        &[
            "str. Alba Iulia",
            "str. Ion Creangă",
            "str. Vasile Lupu",
            "str. Calea Ieșilor",
            "str. Liviu Deleanu",
            "str. Ion Pelivan",
            "str. Nicolae Costin",
        ],
    ),
    (
        "centru",
        "Centru",
        14,
        &[
            "str. București",
            "str. 31 August 1989",
            "str. Ismail",
            "str. Mihai Viteazul",
            "str. Alexandru Pușkin",
            "str. Columna",
            "str. Vasile Alecsandri",
        ],
    ),
    (
        "ciocana",
        "Ciocana",
        18,
        &[
            "bd. Mircea cel Bătrân",
            "str. Ginta Latină",
            "str. Igor Vieru",
            "str. Maria Drăgan",
            "str. Uzinelor",
            "str. Nicolae Milescu Spătarul",
            "str. Petru Zadnipru",
        ],
    ),
    (
        "riscani",
        "Râșcani",
        25,
        &[
            "str. Alecu Russo",
            "bd. Moscova",
            "str. Kiev",
            "str. Florilor",
            "str. Matei Basarab",
            "str. Miron Costin",
            "str. Studenților",
            "str. Dimo",
        ],
    ),
];

const MONTHS: [&str; 12] = [
    "ianuarie",
    "februarie",
    "martie",
    "aprilie",
    "mai",
    "iunie",
    "iulie",
    "august",
    "septembrie",
    "octombrie",
    "noiembrie",
    "decembrie",
];

const REQUEST_INFO: &[&str] = &[
    "Pentru examinarea petiției vă rugăm să prezentați copia certificatului de încadrare în grad de dizabilitate.",
    "Vă rugăm să prezentați certificatul privind componența familiei și actele care confirmă veniturile din ultimele trei luni.",
    "Vă rugăm să indicați adresa exactă și datele de contact ale persoanei vizate în petiție.",
    "Pentru examinare este necesară copia buletinului de identitate al persoanei pentru care se solicită serviciul.",
];
const REPLIES: &[&str] = &[
    "Am depus actele solicitate la registratura Direcției.",
    "Anexez copiile documentelor solicitate.",
    "Adresa exactă și numărul de telefon sunt indicate mai jos; persoana poate fi găsită acasă după ora 10:00.",
    "Am transmis certificatul prin poștă, cu scrisoare recomandată.",
];
const EXTEND: &[&str] = &[
    "Este necesară evaluarea situației la domiciliu de către asistentul social comunitar.",
    "S-au solicitat informații de la Casa Teritorială de Asigurări Sociale, necesare pentru examinare.",
    "Examinarea necesită verificarea la fața locului împreună cu prestatorul serviciului.",
];
const DISMISS: &[&str] = &[
    "Petiție repetată, fără elemente noi: aceeași problemă a fost examinată anterior și petiționarul a primit răspuns.",
    "Petiția nu cuprinde o cerere concretă, iar petiționarul nu a putut fi contactat pentru precizări.",
    "Petiția conține expresii necuviincioase și nu formulează o cerere care să poată fi examinată.",
];
const WITHDRAW: &[&str] = &[
    "Problema s-a rezolvat între timp.",
    "Am primit ajutorul solicitat, vă mulțumesc.",
    "Am depus cererea personal la direcția de sector.",
];
const APPEAL: &[&str] = &[
    "Nu sunt de acord cu răspunsul: situația descrisă nu s-a schimbat.",
    "Răspunsul nu se referă la toate problemele ridicate în petiție.",
    "Verificarea a fost făcută fără a mă contacta; solicit reexaminarea.",
];
const UPHOLD: &[&str] = &[
    "Răspunsul inițial este întemeiat; petiționarul nu a prezentat circumstanțe noi.",
    "La verificarea repetată s-au confirmat constatările din răspunsul inițial.",
];
const REEXAMINE: &[&str] = &[
    "Se reexaminează ținând cont de argumentele noi ale petiționarului.",
    "Reexaminare dispusă de șeful direcției după contestarea răspunsului.",
];
const TRANSFER: &str = "Transmisă direcției teritoriale după domiciliul petiționarului.";
const COMMENTS: [&[&str]; 5] = [
    &[
        "Răspuns formal, problema nu a fost rezolvată.",
        "Nimeni nu a venit să verifice situația.",
    ],
    &[
        "Am așteptat prea mult răspunsul.",
        "Răspunsul nu este clar.",
    ],
    &["Parțial rezolvat, dar cu întârziere."],
    &[
        "Mulțumesc pentru răspuns.",
        "Problema a fost rezolvată, dar după mai multe telefoane.",
    ],
    &[
        "Mulțumesc, problema a fost rezolvată rapid.",
        "Foarte amabili, mulțumesc pentru ajutor.",
        "Mulțumesc, lucrătorul social vine acum regulat.",
    ],
];

// ---------------------------------------------------------------------------------------------
// Plans: who files what when, and the steps after.

/// A step of a plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Act {
    /// The examiner takes the case (the manager, else the officer).
    Take {
        manager: bool,
    },
    /// The registry sends it to the petitioner's territorial directorate.
    Transfer,
    RequestInfo,
    Reply,
    Extend(u32),
    Answer(Outcome),
    Appeal,
    Reexamine,
    Uphold,
    Close,
    Forward,
    Dismiss,
    Withdraw,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    /// The demo citizen account.
    Citizen,
    /// Online, without an account (confirmed by e-mail).
    Online,
    /// Registered by the registry on the petitioner's behalf, arrived by this channel.
    OnBehalf(&'static str),
}

impl Who {
    fn online(self) -> bool {
        matches!(self, Who::Citizen | Who::Online)
    }
}

/// A planned case: filed `days_ago` days before today (rolled back to a working day), each
/// step `day` calendar days after the filing (rolled forward to a working day).
struct Plan {
    days_ago: i64,
    topic: usize,
    who: Who,
    sector: usize,
    /// Filed at the central registry and transferred to the sector's directorate.
    via_registry: bool,
    steps: Vec<(i64, Act)>,
    /// Rated this many days after the first answer: score and comment.
    rating: Option<(i64, i32, Option<&'static str>)>,
    consent: bool,
}

/// The terms of a kind's workflow, as its definition says.
#[derive(Clone, Copy)]
struct Terms {
    answer_days: i64,
    max_extension: u32,
    appealable: bool,
    forwardable: bool,
}

fn topic_index(id: &str) -> usize {
    TOPICS.iter().position(|t| t.id == id).unwrap_or(0)
}

fn pick_weighted(rng: &mut Rng, weights: impl Iterator<Item = u64> + Clone) -> usize {
    let total: u64 = weights.clone().sum();
    let mut n = rng.below(total);
    for (i, w) in weights.enumerate() {
        if n < w {
            return i;
        }
        n -= w;
    }
    0
}

fn outcome(rng: &mut Rng, kind: &str) -> Outcome {
    let n = rng.below(100);
    let (admitted, partly) = if kind == "information_request" {
        (70, 90)
    } else {
        (45, 70)
    };
    if n < admitted {
        Outcome::Admitted
    } else if n < partly {
        Outcome::PartlyAdmitted
    } else {
        Outcome::Rejected
    }
}

fn score(rng: &mut Rng, o: Outcome) -> i32 {
    let scores: &[i32] = match o {
        Outcome::Admitted => &[5, 5, 4, 5, 4, 3],
        Outcome::PartlyAdmitted => &[3, 4, 3, 2, 4],
        Outcome::Rejected => &[1, 2, 1, 3, 2],
    };
    *rng.pick(scores)
}

fn rating(rng: &mut Rng, o: Outcome) -> (i64, i32, Option<&'static str>) {
    let s = score(rng, o);
    let comment = if rng.chance(50) {
        Some(*rng.pick(COMMENTS[(s - 1) as usize]))
    } else {
        None
    };
    (rng.range(1, 10), s, comment)
}

fn who(rng: &mut Rng) -> Who {
    match rng.below(100) {
        0..=47 => Who::Online,
        48..=72 => Who::OnBehalf("paper"),
        73..=84 => Who::OnBehalf("post"),
        85..=92 => Who::OnBehalf("email"),
        _ => Who::OnBehalf("oral"),
    }
}

fn sector(rng: &mut Rng) -> usize {
    pick_weighted(rng, SECTORS.iter().map(|s| s.2))
}

/// A case drawn at random: its age, topic, petitioner and a life of its own.
/// `share`: where in the year the case falls (0: now, 1: a year ago), spread evenly by the
/// caller.
fn random_plan(rng: &mut Rng, terms: &HashMap<&'static str, Terms>, share: f64) -> Plan {
    // More cases lately: the portal is used more and more.
    let days_ago = 2 + (363.0 * share.powf(1.25)) as i64;
    let topic = pick_weighted(rng, TOPICS.iter().map(|t| t.weight));
    let t = &TOPICS[topic];
    let who = who(rng);
    let sector = sector(rng);
    let via_registry = t.local && who.online() && rng.chance(20);
    let term = terms.get(t.kind).copied().unwrap_or(Terms {
        answer_days: 30,
        max_extension: 15,
        appealable: false,
        forwardable: false,
    });
    let manager = rng.chance(15);
    let take = *rng.pick(&[0, 0, 1, 1, 1, 2, 3, 5]);
    let mut steps = Vec::new();
    if via_registry {
        steps.push((0, Act::Transfer));
    }
    let scenario = rng.below(100);
    let o = outcome(rng, t.kind);
    let mut answered = None;
    let t_days = term.answer_days;
    if t.forward.is_some() && term.forwardable {
        // Not the directorate's: forwarded within the five working days, or withdrawn.
        if who.online() && scenario >= 92 {
            steps.push((rng.range(1, 4), Act::Withdraw));
        } else {
            if rng.chance(40) {
                steps.push((0, Act::Take { manager: false }));
            }
            steps.push((rng.range(0, 3), Act::Forward));
        }
    } else {
        match scenario {
            // Answered in time.
            0..=59 => {
                steps.push((take, Act::Take { manager }));
                let day = rng.range((take + 2).max(3), (t_days - 3).max(take + 3));
                steps.push((day, Act::Answer(o)));
                answered = Some(day);
            }
            // Answered late: the ticker marked the term overdue first.
            60..=68 => {
                steps.push((take, Act::Take { manager }));
                let day = t_days + rng.range(2, 15);
                steps.push((day, Act::Answer(o)));
                answered = Some(day);
            }
            // The term extended once, then answered within the new one.
            69..=74 if term.max_extension > 0 => {
                steps.push((take, Act::Take { manager }));
                let at = (t_days - rng.range(5, 8)).max(take + 1);
                let days = rng.range(
                    i64::from(term.max_extension / 2).max(1),
                    i64::from(term.max_extension),
                ) as u32;
                steps.push((at, Act::Extend(days)));
                let day = t_days + rng.range(1, (i64::from(days) - 5).max(1));
                steps.push((day, Act::Answer(o)));
                answered = Some(day);
            }
            // The petitioner completes the petition, then it is answered.
            69..=84 => {
                steps.push((take, Act::Take { manager }));
                let asked = take + rng.range(1, 5);
                let replied = asked + rng.range(2, 10);
                steps.push((asked, Act::RequestInfo));
                steps.push((replied, Act::Reply));
                let left = (t_days - asked - 3).max(3);
                let day = replied + rng.range(2, left);
                steps.push((day, Act::Answer(o)));
                answered = Some(day);
            }
            // Dismissed (a repeat, no request, improper).
            85..=89 => {
                steps.push((take, Act::Take { manager }));
                steps.push((take + rng.range(1, 6), Act::Dismiss));
            }
            // Withdrawn by the petitioner (who filed online).
            90..=94 if who.online() => {
                if rng.chance(50) {
                    steps.push((take, Act::Take { manager }));
                }
                steps.push((take + rng.range(2, 12), Act::Withdraw));
            }
            90..=94 => {
                steps.push((take, Act::Take { manager }));
                steps.push((take + rng.range(1, 6), Act::Dismiss));
            }
            // Asked to complete it, never did: closed as not examined when the term ran out.
            _ => {
                steps.push((take, Act::Take { manager }));
                steps.push((take + rng.range(1, 5), Act::RequestInfo));
            }
        }
    }
    // After the answer: contested, closed by the officer, or left to the ticker.
    let after = rng.below(100);
    let (appeal_at, second, close_at) = (rng.range(3, 15), rng.range(2, 6), rng.range(3, 20));
    let second_answer = rng.range(5, 15);
    let reexamine = rng.chance(50);
    let o2 = outcome(rng, t.kind);
    if let Some(day) = answered {
        if term.appealable && who.online() && after < 12 {
            steps.push((day + appeal_at, Act::Appeal));
            if reexamine {
                steps.push((day + appeal_at + second, Act::Reexamine));
                steps.push((day + appeal_at + second + second_answer, Act::Answer(o2)));
            } else {
                steps.push((day + appeal_at + second + 4, Act::Uphold));
            }
        } else if after >= 85 {
            steps.push((day + close_at, Act::Close));
        }
    }
    let rated = answered.is_some() && rng.chance(45);
    let r = rating(rng, o);
    let consent = who.online() && rng.chance(30);
    Plan {
        days_ago,
        topic,
        who,
        sector,
        via_registry,
        steps,
        rating: rated.then_some(r),
        consent,
    }
}

/// The cases every demo has, whatever the generator draws: the demo citizen's own, and one of
/// every rarer end (so that each state of the workflow is on the pages).
fn scripted_plans() -> Vec<Plan> {
    let plan = |days_ago, topic: &str, who, sector, steps: Vec<(i64, Act)>| Plan {
        days_ago,
        topic: topic_index(topic),
        who,
        sector,
        via_registry: false,
        steps,
        rating: None,
        consent: false,
    };
    use Act::*;
    let officer = Take { manager: false };
    let mut out = vec![
        // Ion Popescu (citizen@demo.petitio): answered and closed, rated, published.
        Plan {
            rating: Some((
                2,
                5,
                Some("Mulțumesc, lucrătorul social vine acum regulat."),
            )),
            consent: true,
            ..plan(
                150,
                "home-care-visits",
                Who::Citizen,
                0,
                vec![(1, officer), (18, Answer(Outcome::Admitted)), (25, Close)],
            )
        },
        Plan {
            rating: Some((4, 3, Some("Parțial rezolvat, dar cu întârziere."))),
            ..plan(
                75,
                "heating-aid",
                Who::Citizen,
                0,
                vec![
                    (2, officer),
                    (5, RequestInfo),
                    (9, Reply),
                    (24, Answer(Outcome::PartlyAdmitted)),
                ],
            )
        },
        Plan {
            rating: Some((3, 4, None)),
            ..plan(
                230,
                "community-medical",
                Who::Citizen,
                0,
                vec![(0, officer), (12, Answer(Outcome::Admitted))],
            )
        },
        // Answered a few days ago: he may contest or rate it.
        plan(
            20,
            "canteen-admission",
            Who::Citizen,
            0,
            vec![(1, officer), (15, Answer(Outcome::Admitted))],
        ),
        // Waiting for him to complete it.
        plan(
            12,
            "personal-assistant",
            Who::Citizen,
            0,
            vec![(1, officer), (6, RequestInfo)],
        ),
        // In examination.
        plan(6, "info-canteens", Who::Citizen, 0, vec![(1, officer)]),
        // Just registered.
        plan(1, "day-centre", Who::Citizen, 0, vec![]),
        // Contested.
        plan(
            48,
            "social-aid-delay",
            Who::Citizen,
            0,
            vec![(1, officer), (17, Answer(Outcome::Rejected)), (22, Appeal)],
        ),
        // One of each rarer end.
        plan(
            60,
            "personal-assistant",
            Who::Online,
            4,
            vec![(1, officer), (4, RequestInfo)],
        ),
        plan(
            40,
            "material-aid",
            Who::OnBehalf("paper"),
            1,
            vec![(1, officer), (3, Dismiss)],
        ),
        plan(
            25,
            "day-centre",
            Who::Online,
            3,
            vec![(2, officer), (6, Withdraw)],
        ),
        plan(20, "pension", Who::OnBehalf("post"), 2, vec![(2, Forward)]),
        // Extended, still within the longer term.
        plan(
            27,
            "home-care-request",
            Who::OnBehalf("paper"),
            0,
            vec![(0, officer), (22, Extend(15))],
        ),
        plan(
            50,
            "home-care-visits",
            Who::Online,
            3,
            vec![(1, officer), (20, Answer(Outcome::Rejected)), (25, Appeal)],
        ),
        // Answered late.
        plan(
            80,
            "canteen-quality",
            Who::OnBehalf("email"),
            4,
            vec![(2, officer), (40, Answer(Outcome::PartlyAdmitted))],
        ),
        // Waiting for the petitioners to complete them.
        plan(
            9,
            "transport-compensation",
            Who::OnBehalf("paper"),
            2,
            vec![(1, officer), (4, RequestInfo)],
        ),
        plan(
            14,
            "prior-social-aid",
            Who::Online,
            1,
            vec![(2, officer), (8, RequestInfo)],
        ),
        plan(
            7,
            "info-home-care-budget",
            Who::Online,
            0,
            vec![(1, officer), (3, RequestInfo)],
        ),
    ];
    // Overdue: nobody answered within the term (three never even taken).
    for (i, (days_ago, topic)) in [
        (34, "social-aid-delay"),
        (41, "home-care-request"),
        (47, "material-aid"),
        (36, "heating-aid"),
        (52, "canteen-admission"),
        (63, "special-transport"),
        (70, "transport-compensation"),
        (39, "child-protection"),
        (58, "school-medical"),
        (88, "prior-social-aid"),
    ]
    .into_iter()
    .enumerate()
    {
        let steps = if i < 3 { vec![] } else { vec![(1, officer)] };
        out.push(plan(days_ago, topic, Who::OnBehalf("paper"), i % 5, steps));
    }
    // New in the queue, not taken yet.
    for (i, (days_ago, topic)) in [
        (1, "home-care-request"),
        (2, "social-aid-delay"),
        (3, "homeless"),
        (4, "material-aid"),
        (6, "info-home-care-budget"),
        (8, "personal-assistant"),
        (10, "canteen-quality"),
        (12, "community-medical"),
    ]
    .into_iter()
    .enumerate()
    {
        let who = if i % 2 == 0 {
            Who::Online
        } else {
            Who::OnBehalf("paper")
        };
        out.push(plan(days_ago, topic, who, (i * 3) % 5, vec![]));
    }
    out
}

// ---------------------------------------------------------------------------------------------
// From plans to cases.

/// What the seed needs of the demo institution and its people.
struct Ctx {
    inst: institution::Model,
    tz: Tz,
    calendar: Calendar,
    now: DateTime<Utc>,
    today: NaiveDate,
    central: Option<i64>,
    sectors: Vec<Option<i64>>,
    categories: HashMap<String, i64>,
    services: HashMap<String, i64>,
    targets: HashMap<String, i64>,
    officer: i64,
    manager: i64,
    citizen: (i64, String, String),
}

/// A planned step ready to apply.
struct Ready {
    at: DateTime<Utc>,
    transition: &'static str,
    actor: Actor,
    input: TransitionInput,
    answers: bool,
}

/// A case ready to file: its filing, steps, rating and whether to publish it.
struct Prepared {
    new: NewCase,
    filed_at: DateTime<Utc>,
    steps: Vec<Ready>,
    rating: Option<(DateTime<Utc>, i32, Option<String>)>,
    consent: bool,
    /// What the officer names by hand when publishing it: the personal data the detection
    /// does not know (a relative's name, a neighbour's address).
    extra: Vec<String>,
}

fn fill(template: &str, vars: &[(&str, String)]) -> String {
    let mut out = template.to_string();
    for (k, v) in vars {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}

/// "9 ani", "25 de ani": Romanian puts "de" after numbers ending in 20 to 99 (and 0).
fn years(n: i64) -> String {
    if (1..20).contains(&(n % 100)) {
        format!("{n} ani")
    } else {
        format!("{n} de ani")
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Strips the diacritics of a name for an e-mail address.
fn ascii(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'ă' | 'â' | 'Ă' | 'Â' => 'a',
            'î' | 'Î' => 'i',
            'ș' | 'ş' | 'Ș' | 'Ş' => 's',
            'ț' | 'ţ' | 'Ț' | 'Ţ' => 't',
            c => c.to_ascii_lowercase(),
        })
        .filter(|c| c.is_ascii_alphanumeric())
        .collect()
}

impl Ctx {
    /// `minutes` after 08:00 local on `date`.
    fn moment(&self, date: NaiveDate, minutes: i64) -> DateTime<Utc> {
        let t = NaiveTime::from_hms_opt(8, 0, 0).unwrap_or(NaiveTime::MIN)
            + Duration::minutes(minutes.clamp(0, 600));
        local_moment(date, t, self.tz)
    }

    fn working_day_back(&self, mut d: NaiveDate) -> NaiveDate {
        for _ in 0..15 {
            if self.calendar.is_working_day(d) {
                break;
            }
            d -= Duration::days(1);
        }
        d
    }

    /// Turns a plan into a case to file, its texts drawn; steps at or after now are left out
    /// (the case is still where they would take it from).
    fn prepare(&self, plan: &Plan, rng: &mut Rng) -> Prepared {
        let topic = &TOPICS[plan.topic];
        let (_, label, _, streets) = SECTORS[plan.sector % SECTORS.len()];
        // The petitioner.
        let female = rng.chance(62);
        let first = *rng.pick(if female { FEMALE } else { MALE });
        let surname = *rng.pick(SURNAMES);
        let street = *rng.pick(streets);
        let (number, flat) = (rng.range(1, 160), rng.range(1, 140));
        let place_street = *rng.pick(streets);
        let place_number = rng.range(2, 120);
        let phone = format!(
            "0{} {:03} {:03}",
            rng.pick(&["60", "67", "68", "69", "78", "79"]),
            rng.range(100, 999),
            rng.range(0, 999)
        );
        // Children only where the service is for them too; a spouse of the other sex.
        let relatives: Vec<_> = RELATIVES
            .iter()
            .filter(|r| matches!(topic.id, "personal-assistant" | "special-transport") || r.2 >= 60)
            .filter(|r| !(r.0.starts_with("so") && r.1 == female))
            .collect();
        let relative = **rng.pick(&relatives);
        let rel_first = *rng.pick(if relative.1 { FEMALE } else { MALE });
        let rel_age = rng.range(relative.2, relative.3);
        let age = rng.range(63, 86);
        let pension = rng.range(24, 52) * 100;
        let grade = rng.range(5, 12);
        let decision = format!(
            "{}/{}",
            rng.range(120, 2400),
            rng.pick(&["AS", "DAS", "SID"])
        );
        let decision_days = rng.range(5, 25);
        let mail_n = rng.range(1, 99);
        let filed_minutes = rng.range(10, 560);
        let lang_ru = rng.chance(8);
        let texts: Vec<(usize, usize, i64)> = (0..plan.steps.len())
            .map(|_| {
                (
                    rng.below(1000) as usize,
                    rng.below(1000) as usize,
                    rng.range(0, 540),
                )
            })
            .collect();

        let (name, email, user_id) = match plan.who {
            Who::Citizen => (
                self.citizen.1.clone(),
                Some(self.citizen.2.clone()),
                Some(self.citizen.0),
            ),
            Who::Online => {
                let name = format!("{first} {surname}");
                let email = format!("{}.{}{mail_n}@example.com", ascii(first), ascii(surname));
                (name, Some(email), None)
            }
            Who::OnBehalf(channel) => {
                let name = format!("{first} {surname}");
                let email = (channel == "email")
                    .then(|| format!("{}.{}{mail_n}@example.com", ascii(first), ascii(surname)));
                (name, email, None)
            }
        };
        let postal = match plan.who {
            Who::Citizen => CITIZEN_ADDRESS.to_string(),
            _ => format!("mun. Chișinău, {street} {number}, ap. {flat}"),
        };
        let filed_date = self.working_day_back(self.today - Duration::days(plan.days_ago));
        let filed_at = self.moment(filed_date, filed_minutes);
        let month_of = |d: NaiveDate, back: u32| {
            let m = (d.month0() + 12 - back) % 12;
            MONTHS[m as usize].to_string()
        };
        let decision_date = filed_date - Duration::days(decision_days);
        let vars: Vec<(&str, String)> = vec![
            ("Rel", capitalise(relative.0)),
            ("rel_name", format!("{rel_first} {surname}")),
            ("rel_age", years(rel_age)),
            ("rel", relative.0.to_string()),
            ("name", name.clone()),
            ("addr", postal.clone()),
            ("phone", phone),
            ("sector", label.to_string()),
            ("age", age.to_string()),
            ("pension", pension.to_string()),
            ("month", month_of(filed_date, 1)),
            ("next_month", month_of(filed_date, 11)),
            ("year", filed_date.year().to_string()),
            ("prev_year", (filed_date.year() - 1).to_string()),
            ("place", format!("{place_street} {place_number}")),
            ("street", place_street.to_string()),
            ("grade", grade.to_string()),
            ("decision", decision.clone()),
            (
                "decision_date",
                decision_date.format("%d.%m.%Y").to_string(),
            ),
        ];
        let sector_department = self.sectors.get(plan.sector).copied().flatten();
        let department = if topic.local && !plan.via_registry {
            sector_department
        } else {
            self.central
        };
        let service_id = topic.service.and_then(|s| match s.strip_prefix("city:") {
            Some(code) => self.services.get(code).copied(),
            None => self
                .services
                .get(&format!("{s}-{}", SECTORS[plan.sector % SECTORS.len()].0))
                .copied(),
        });
        let registered_by = match plan.who {
            Who::OnBehalf(_) => Some((self.officer, "officer".to_string())),
            _ => None,
        };
        let new = NewCase {
            institution_id: self.inst.id,
            department_id: department,
            category_id: self.categories.get(topic.category).copied(),
            kind: topic.kind.to_string(),
            channel: match plan.who {
                Who::OnBehalf(c) => c.to_string(),
                _ => "online".to_string(),
            },
            petitioner_id: user_id,
            petitioner_name: name,
            petitioner_email: email.clone(),
            petitioner_address: Some(postal),
            subject: fill(topic.subject, &vars),
            body: fill(topic.body, &vars),
            address: topic
                .place
                .then(|| format!("mun. Chișinău, {place_street} {place_number}")),
            decision_number: (topic.kind == "prior_complaint").then(|| decision.clone()),
            decision_date: (topic.kind == "prior_complaint").then_some(decision_date),
            linked_case_id: None,
            service_id,
            petitioner_lang: Some(if lang_ru && plan.who == Who::Online {
                "ru".into()
            } else {
                "ro".into()
            }),
            consent_publish: plan.consent,
            registered_by,
            extra_fields: None,
        };

        // The steps, each at a working moment after the one before, none from now on.
        let staff = |role: Role, id: i64| Actor {
            role,
            user_id: Some(id),
        };
        let petitioner = Actor {
            role: Role::Citizen,
            user_id,
        };
        let mut examiner = staff(Role::Officer, self.officer);
        let mut steps = Vec::new();
        let mut last = filed_at;
        let mut first_answer: Option<DateTime<Utc>> = None;
        for (&(day, act), &(a, b, minutes)) in plan.steps.iter().zip(&texts) {
            let date = self.calendar.roll_forward(filed_date + Duration::days(day));
            let mut at = self.moment(date, 30 + minutes);
            if at <= last {
                at = last + Duration::minutes(20);
            }
            if at >= self.now {
                break;
            }
            last = at;
            let mut input = TransitionInput::default();
            let (transition, actor) = match act {
                Act::Take { manager } => {
                    examiner = if manager {
                        staff(Role::Manager, self.manager)
                    } else {
                        staff(Role::Officer, self.officer)
                    };
                    ("take", examiner)
                }
                Act::Transfer => {
                    input.department_id = sector_department;
                    input.note = Some(TRANSFER.to_string());
                    ("transfer", staff(Role::Officer, self.officer))
                }
                Act::RequestInfo => {
                    input.reason = Some(REQUEST_INFO[a % REQUEST_INFO.len()].to_string());
                    ("request_info", examiner)
                }
                Act::Reply => {
                    input.note = Some(REPLIES[a % REPLIES.len()].to_string());
                    let by = if plan.who.online() {
                        petitioner
                    } else {
                        // Brought to the registry: the officer records it.
                        staff(Role::Officer, self.officer)
                    };
                    ("citizen_reply", by)
                }
                Act::Extend(days) => {
                    input.reason = Some(EXTEND[a % EXTEND.len()].to_string());
                    input.extension_days = Some(days);
                    ("extend", examiner)
                }
                Act::Answer(o) => {
                    let i = match o {
                        Outcome::Admitted => 0,
                        Outcome::PartlyAdmitted => 1,
                        Outcome::Rejected => 2,
                    };
                    input.answer = Some(fill(topic.answers[i], &vars));
                    input.outcome = Some(o);
                    first_answer = first_answer.or(Some(at));
                    ("answer", examiner)
                }
                Act::Appeal => {
                    input.reason = Some(APPEAL[a % APPEAL.len()].to_string());
                    ("appeal", petitioner)
                }
                Act::Reexamine => {
                    input.note = Some(REEXAMINE[a % REEXAMINE.len()].to_string());
                    ("reexamine", staff(Role::Manager, self.manager))
                }
                Act::Uphold => {
                    input.reason = Some(UPHOLD[a % UPHOLD.len()].to_string());
                    ("uphold_answer", staff(Role::Manager, self.manager))
                }
                Act::Close => ("close", examiner),
                Act::Forward => {
                    let (slug, reason) = topic.forward.unwrap_or(("chisinau-primaria", ""));
                    input.target_institution_id = self.targets.get(slug).copied();
                    input.reason = Some(reason.to_string());
                    ("forward", examiner)
                }
                Act::Dismiss => {
                    input.reason = Some(DISMISS[b % DISMISS.len()].to_string());
                    ("dismiss", examiner)
                }
                Act::Withdraw => {
                    input.reason = (b % 4 != 3).then(|| WITHDRAW[b % WITHDRAW.len()].to_string());
                    ("withdraw", petitioner)
                }
            };
            steps.push(Ready {
                at,
                transition,
                actor,
                input,
                answers: matches!(act, Act::Answer(_)),
            });
        }
        // A rating needs a way to reach the petitioner (an account or a mailed link).
        let rating = match (plan.rating, first_answer) {
            (Some((after, score, comment)), Some(answered)) if email.is_some() => {
                let date = self
                    .calendar
                    .roll_forward(local_date(answered, self.tz) + Duration::days(after));
                let at = self.moment(date, 600).max(answered + Duration::hours(2));
                (at < self.now).then(|| (at, score, comment.map(str::to_string)))
            }
            _ => None,
        };
        Prepared {
            new,
            filed_at,
            steps,
            rating,
            consent: plan.consent,
            extra: vec![
                format!("{rel_first} {surname}"),
                format!("{place_street} {place_number}"),
            ],
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Running it.

/// Fires, in order of time, every timer of the demo cases (those filed since `cases[0]`) due
/// by `until`, as the deadline ticker does ([`super::deadlines::fire_next_due`]): each at the
/// moment it became due, or, when a step before `until` made it due at once (a term resumed
/// with a reminder's day already come), on the ticker's next pass after `previous`, the moment
/// of that step. Returns how many fired; notes when a case became overdue.
async fn fire_due(
    txn: &DatabaseTransaction,
    previous: DateTime<Utc>,
    until: DateTime<Utc>,
    cases: &[i64],
    public_url: &str,
    overdue_since: &mut HashMap<i64, DateTime<Utc>>,
) -> Result<usize, AppError> {
    let mut fired = 0;
    // The demo cases are the institution's only ones: those filed since the first of them.
    let Some(&first) = cases.first() else {
        return Ok(0);
    };
    loop {
        let Some(row) = case_timer::Entity::find()
            .filter(case_timer::Column::Status.eq(timer_status::RUNNING))
            .filter(case_timer::Column::FireAt.lte(until))
            .filter(case_timer::Column::CaseId.gte(first))
            .order_by_asc(case_timer::Column::FireAt)
            .order_by_asc(case_timer::Column::Id)
            .limit(1)
            .one(txn)
            .await?
        else {
            return Ok(fired);
        };
        let Some(due) = row.fire_at else {
            return Ok(fired);
        };
        let at = due.max(previous + Duration::seconds(30)).min(until);
        let loaded = transitions::load(txn, row.case_id).await?;
        let tz = time_zone(&loaded.institution.timezone);
        let state = loaded.snapshot.timer(&row.name).cloned();
        let event = state
            .as_ref()
            .and_then(|t| due_event(&loaded.definition, t, local_date(at, tz)));
        let Some(event) = event else {
            // Nothing due after all: look again when it is (as the ticker does).
            let mut active: case_timer::ActiveModel = row.clone().into();
            active.fire_at = Set(state
                .as_ref()
                .filter(|t| t.status == TimerStatus::Running)
                .and_then(|t| transitions::fire_at(&loaded.definition, t, tz))
                .filter(|next| *next > at));
            active.update(txn).await?;
            continue;
        };
        let was_overdue = loaded.case.overdue;
        let done = transitions::apply_in(
            txn,
            Request {
                case_id: row.case_id,
                event,
                expected_version: None,
            },
            at,
            public_url,
        )
        .await?;
        if done.case.overdue && !was_overdue {
            overdue_since.insert(row.case_id, at);
        }
        fired += 1;
    }
}

async fn load_ctx(
    db: &DatabaseTransaction,
    inst: institution::Model,
    now: DateTime<Utc>,
) -> Result<Ctx, AppError> {
    let tz = time_zone(&inst.timezone);
    let (_, def) = definitions::get_latest(
        db,
        &definitions::workflow_name_for(&inst.calendar, "petition"),
    )
    .await?;
    let calendar = calendars::load(db, def.calendar, Some(inst.id)).await?;
    let departments = department::Entity::find()
        .filter(department::Column::InstitutionId.eq(inst.id))
        .all(db)
        .await?;
    let central = departments.iter().find(|d| d.area.is_none()).map(|d| d.id);
    let sectors = SECTORS
        .iter()
        .map(|(code, ..)| departments.iter().find(|d| d.code == *code).map(|d| d.id))
        .collect();
    let categories = category::Entity::find()
        .filter(category::Column::InstitutionId.eq(inst.id))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.code, c.id))
        .collect();
    let services = public_service::Entity::find()
        .filter(public_service::Column::InstitutionId.eq(inst.id))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.code, s.id))
        .collect();
    let targets = institution::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .filter(|i| i.id != inst.id)
        .map(|i| (i.slug, i.id))
        .collect();
    let user_of = |email: &'static str| async move {
        user::Entity::find()
            .filter(user::Column::Email.eq(email))
            .one(db)
            .await?
            .ok_or_else(|| {
                super::error::internal("demo cases", format!("the demo account {email} is missing"))
            })
    };
    let officer = user_of("officer@demo.petitio").await?;
    let manager = user_of("manager@demo.petitio").await?;
    let citizen = user_of("citizen@demo.petitio").await?;
    Ok(Ctx {
        today: local_date(now, tz),
        tz,
        calendar,
        now,
        central,
        sectors,
        categories,
        services,
        targets,
        officer: officer.id,
        manager: manager.id,
        citizen: (citizen.id, citizen.full_name, citizen.email),
        inst,
    })
}

/// Files the demo cases (see the module's documentation) at the demo institution of
/// [`super::seed::seed_demo`], which must have run: nothing when that institution has cases.
/// `now` is the service's clock; `public_url` goes into the mails' links.
pub async fn seed_demo_cases(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    public_url: &str,
) -> Result<CasesReport, AppError> {
    let mut report = CasesReport::default();
    let Some(inst) = institution::Entity::find()
        .filter(institution::Column::Slug.eq(INSTITUTION_SLUG))
        .one(db)
        .await?
    else {
        return Ok(report);
    };
    let txn = db.begin().await?;
    let existing = petition_case::Entity::find()
        .filter(petition_case::Column::InstitutionId.eq(inst.id))
        .count(&txn)
        .await?;
    if existing > 0 {
        txn.rollback().await?;
        return Ok(report);
    }
    let ctx = load_ctx(&txn, inst, now).await?;

    // The terms of each kind's workflow.
    let mut terms = HashMap::new();
    for kind in crate::model::filing::KINDS {
        let name = definitions::workflow_name_for(&ctx.inst.calendar, kind);
        let (_, def) = definitions::get_latest(&txn, &name).await?;
        let answer = def.timer("answer_due");
        terms.insert(
            kind,
            Terms {
                answer_days: answer.map_or(30, |t| i64::from(t.amount)),
                max_extension: answer.map_or(0, |t| t.max_extension_days),
                appealable: def.transition("appeal").is_some(),
                forwardable: def.transition("forward").is_some(),
            },
        );
    }

    // The plans, then the cases with their texts: the same draws on every run.
    let mut rng = Rng(SEED);
    let mut plans = scripted_plans();
    for k in 0..RANDOM_CASES {
        // Evenly over the year (a month without petitions would look odd), each at random.
        let share = (k as f64 + rng.unit()) / RANDOM_CASES as f64;
        plans.push(random_plan(&mut rng, &terms, share));
    }
    let prepared: Vec<Prepared> = plans.iter().map(|p| ctx.prepare(p, &mut rng)).collect();

    // Every filing and step of every case, in the order of time.
    let mut agenda: Vec<(DateTime<Utc>, usize, usize)> = Vec::new();
    for (i, p) in prepared.iter().enumerate() {
        agenda.push((p.filed_at, i, 0));
        for (j, s) in p.steps.iter().enumerate() {
            agenda.push((s.at, i, j + 1));
        }
    }
    agenda.sort();
    let mut ids: Vec<Option<i64>> = vec![None; prepared.len()];
    let mut filed: Vec<i64> = Vec::new();
    let mut stopped: BTreeSet<usize> = BTreeSet::new();
    let mut overdue_since: HashMap<i64, DateTime<Utc>> = HashMap::new();
    let mut previous = agenda.first().map_or(now, |a| a.0);
    let mut answered_first: HashMap<i64, bool> = HashMap::new();
    for (at, i, j) in agenda {
        report.timer_events +=
            fire_due(&txn, previous, at, &filed, public_url, &mut overdue_since).await?;
        previous = at;
        let p = &prepared[i];
        if j == 0 {
            let case = filing::file_case_in(&txn, p.new.clone(), at, public_url).await?;
            ids[i] = Some(case.id);
            filed.push(case.id);
            report.cases += 1;
            continue;
        }
        let Some(case_id) = ids[i] else { continue };
        if stopped.contains(&i) {
            continue;
        }
        let step = &p.steps[j - 1];
        let result = transitions::apply_in(
            &txn,
            Request {
                case_id,
                event: Event::Transition {
                    id: step.transition.to_string(),
                    actor: step.actor,
                    input: step.input.clone(),
                },
                expected_version: None,
            },
            at,
            public_url,
        )
        .await;
        match result {
            Ok(_) => {
                report.steps += 1;
                if step.answers {
                    answered_first.insert(case_id, true);
                }
            }
            // A plan the workflow does not take: the case stays where it is.
            Err(
                e @ (AppError::TransitionNotAllowed(_)
                | AppError::Validation { .. }
                | AppError::Conflict(_)),
            ) => {
                tracing::warn!(case_id, transition = step.transition, error = %e, "demo case: a planned step was refused");
                report.refused += 1;
                stopped.insert(i);
            }
            Err(e) => return Err(e),
        }
    }
    report.timer_events +=
        fire_due(&txn, previous, now, &filed, public_url, &mut overdue_since).await?;

    // Ratings, as the petitioner's rating stores them.
    for (i, p) in prepared.iter().enumerate() {
        let (Some(id), Some((at, score, comment))) = (ids[i], &p.rating) else {
            continue;
        };
        if stopped.contains(&i) || !answered_first.contains_key(&id) {
            continue;
        }
        petition_case::Entity::update_many()
            .col_expr(petition_case::Column::Rating, Expr::value(Some(*score)))
            .col_expr(
                petition_case::Column::RatingComment,
                Expr::value(comment.clone()),
            )
            .col_expr(petition_case::Column::RatedAt, Expr::value(Some(*at)))
            .filter(petition_case::Column::Id.eq(id))
            .exec(&txn)
            .await?;
        report.rated += 1;
    }

    // The mails of the past: recorded as sent when they would have gone, never delivered.
    if !filed.is_empty() {
        report.mails = mail_outbox::Entity::update_many()
            .col_expr(
                mail_outbox::Column::Status,
                Expr::value(super::outbox::status::SENT),
            )
            .col_expr(
                mail_outbox::Column::SentAt,
                Expr::col(mail_outbox::Column::NextAttemptAt),
            )
            .col_expr(mail_outbox::Column::Attempts, Expr::value(1))
            .col_expr(
                mail_outbox::Column::SmtpResponse,
                Expr::value(Some(NOT_DELIVERED)),
            )
            .filter(mail_outbox::Column::CaseId.is_in(filed.iter().copied()))
            .filter(mail_outbox::Column::Status.eq(super::outbox::status::PENDING))
            .exec(&txn)
            .await?
            .rows_affected;
        // One held to the office hours of a day still to come is sent "now".
        mail_outbox::Entity::update_many()
            .col_expr(mail_outbox::Column::SentAt, Expr::value(Some(now)))
            .filter(mail_outbox::Column::CaseId.is_in(filed.iter().copied()))
            .filter(mail_outbox::Column::SentAt.gt(now))
            .exec(&txn)
            .await?;
    }

    report.snapshot_days = snapshots(&txn, &ctx, &filed, &overdue_since).await?;
    txn.commit().await?;

    // A few answered cases whose petitioner agreed, published by the officer.
    report.published = publish_some(db, &ctx, &ids, &prepared).await?;
    tracing::info!(?report, "demo cases filed");
    Ok(report)
}

/// The daily snapshots of open and overdue cases (what the ticker writes each day at local
/// midnight, [`super::metrics::snapshot_day`]) for every past day since the first filing,
/// counted from the cases' history; days that have one already are left alone.
async fn snapshots(
    txn: &DatabaseTransaction,
    ctx: &Ctx,
    filed: &[i64],
    overdue_since: &HashMap<i64, DateTime<Utc>>,
) -> Result<usize, AppError> {
    let cases = petition_case::Entity::find()
        .filter(petition_case::Column::Id.is_in(filed.iter().copied()))
        .all(txn)
        .await?;
    let Some(first) = cases.iter().map(|c| local_date(c.filed_at, ctx.tz)).min() else {
        return Ok(0);
    };
    let taken: BTreeSet<NaiveDate> = case_stats_daily::Entity::find()
        .filter(case_stats_daily::Column::InstitutionId.eq(ctx.inst.id))
        .all(txn)
        .await?
        .into_iter()
        .map(|r| r.day)
        .collect();
    let mut rows = Vec::new();
    let mut days = 0;
    let mut day = first;
    while day < ctx.today {
        if !taken.contains(&day) {
            let midnight = local_moment(day, NaiveTime::MIN, ctx.tz);
            let mut per: BTreeMap<i64, (i64, i64)> = BTreeMap::new();
            per.insert(0, (0, 0));
            for c in &cases {
                let open = c.filed_at < midnight && c.closed_at.is_none_or(|t| t >= midnight);
                if !open || crate::model::data_rights::is_data_request(&c.kind) {
                    continue;
                }
                let e = per.entry(c.department_id.unwrap_or(0)).or_default();
                e.0 += 1;
                if overdue_since.get(&c.id).is_some_and(|t| *t <= midnight) {
                    e.1 += 1;
                }
            }
            for (dep, (open, overdue)) in per {
                rows.push(case_stats_daily::ActiveModel {
                    institution_id: Set(ctx.inst.id),
                    department_id: Set(dep),
                    day: Set(day),
                    open_cases: Set(open),
                    overdue_cases: Set(overdue),
                    ..Default::default()
                });
            }
            days += 1;
        }
        day += Duration::days(1);
    }
    for chunk in rows.chunks(400) {
        case_stats_daily::Entity::insert_many(chunk.to_vec())
            .exec(txn)
            .await?;
    }
    Ok(days)
}

/// Publishes up to [`PUBLISHED`] answered cases whose petitioner agreed, newest answer first,
/// through the publication service as the demo officer (personal data found are removed).
async fn publish_some(
    db: &DatabaseConnection,
    ctx: &Ctx,
    ids: &[Option<i64>],
    prepared: &[Prepared],
) -> Result<usize, AppError> {
    let extra: HashMap<i64, &Vec<String>> = ids
        .iter()
        .zip(prepared)
        .filter(|(_, p)| p.consent)
        .filter_map(|(id, p)| id.map(|id| (id, &p.extra)))
        .collect();
    let consenting: Vec<i64> = extra.keys().copied().collect();
    if consenting.is_empty() {
        return Ok(0);
    }
    let cases = petition_case::Entity::find()
        .filter(petition_case::Column::Id.is_in(consenting))
        .filter(petition_case::Column::AnsweredAt.is_not_null())
        .filter(petition_case::Column::Status.is_in(["answered", "closed"]))
        .order_by_desc(petition_case::Column::AnsweredAt)
        .limit(PUBLISHED as u64)
        .all(db)
        .await?;
    let Some(officer) = super::auth::sessions::load_account(db, ctx.officer, "").await? else {
        return Ok(0);
    };
    let principal = super::auth::Principal::User(officer);
    let mut published = 0;
    for case in cases {
        super::publication::publish(
            db,
            Some(&principal),
            case.id,
            &crate::model::publication::PublishChoice {
                extra: extra.get(&case.id).map(|e| e.to_vec()).unwrap_or_default(),
                ..Default::default()
            },
        )
        .await?;
        published += 1;
    }
    Ok(published)
}
