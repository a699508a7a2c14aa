//! The translation layer: every visible string, in English, Spanish and Russian.
//!
//! Strings are variants of [`T`]; the [`texts!`] table gives each one all three languages, so a
//! missing translation does not compile. Messages with values use `{0}`, `{1}` … filled by
//! [`Lang::fill`]. Numbers, money and dates go through [`format`].

pub mod format;
mod texts;

pub use texts::T;

use crate::core::analysis::{Factor, Flag, Verdict};
use crate::core::import::{Expected, Problem, ProblemKind};
use crate::core::model::NumberLocale;

/// A language of the interface.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    En = 0,
    Es = 1,
    Ru = 2,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Es, Lang::Ru];

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
            Lang::Ru => "ru",
        }
    }

    /// The language's own name, for the switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Es => "Español",
            Lang::Ru => "Русский",
        }
    }

    /// The language for a browser language tag (`es-MX` → Spanish); English otherwise.
    pub fn from_tag(tag: &str) -> Lang {
        match tag.split(['-', '_']).next().unwrap_or("").to_lowercase().as_str() {
            "es" | "ca" | "gl" | "eu" => Lang::Es,
            "ru" | "uk" | "be" | "kk" => Lang::Ru,
            _ => Lang::En,
        }
    }

    /// How people writing this language type numbers: `1,5` in Spanish and Russian, `1.5` in
    /// English. Numbers typed into forms are read this way.
    pub fn number_locale(self) -> NumberLocale {
        match self {
            Lang::En => NumberLocale::Dot,
            Lang::Es | Lang::Ru => NumberLocale::Comma,
        }
    }

    /// A number typed by the user, read the way their language writes numbers.
    pub fn read_number(self, text: &str) -> Option<rust_decimal::Decimal> {
        crate::core::import::parse::number(text, self.number_locale())
    }

    /// The text of a string.
    pub fn t(self, text: T) -> &'static str {
        text.get(self)
    }

    /// The text of a string with `{0}`, `{1}` … replaced by `args`.
    pub fn fill(self, text: T, args: &[&str]) -> String {
        let mut out = text.get(self).to_string();
        for (i, a) in args.iter().enumerate() {
            out = out.replace(&format!("{{{i}}}"), a);
        }
        out
    }

    /// A count of things in words: the text's forms are separated by `|` — English and
    /// Spanish `one|other`, Russian `one|few|many` (CLDR rules) — and `{0}` is `n` formatted
    /// for the language. A text with one form serves every count.
    pub fn count(self, text: T, n: usize) -> String {
        let forms: Vec<&str> = text.get(self).split('|').collect();
        let form = forms[self.plural_form(n).min(forms.len() - 1)];
        form.replace("{0}", &format::count(self, n))
    }

    /// Which plural form `n` takes: 0 one, 1 other (few in Russian), 2 many (Russian).
    fn plural_form(self, n: usize) -> usize {
        match self {
            Lang::En | Lang::Es => usize::from(n != 1),
            Lang::Ru => {
                let (m10, m100) = (n % 10, n % 100);
                if m10 == 1 && m100 != 11 {
                    0
                } else if (2..=4).contains(&m10) && !(12..=14).contains(&m100) {
                    1
                } else {
                    2
                }
            }
        }
    }

    /// The verdict's name.
    pub fn verdict(self, v: Verdict) -> &'static str {
        self.t(match v {
            Verdict::Dormant => T::VerdictDormant,
            Verdict::ProtectAndDiversify => T::VerdictProtect,
            Verdict::TooEarly => T::VerdictTooEarly,
            Verdict::Rest => T::VerdictRest,
            Verdict::RepriceOrExit => T::VerdictReprice,
            Verdict::LetGoGradually => T::VerdictLetGo,
            Verdict::UpsellToB => T::VerdictUpsell,
            Verdict::KeepForIndirectValue => T::VerdictIndirect,
            Verdict::Renegotiate => T::VerdictRenegotiate,
            Verdict::KeyKeep => T::VerdictKeyKeep,
            Verdict::KeyVolatile => T::VerdictKeyVolatile,
            Verdict::KeepAndGrow => T::VerdictKeepGrow,
            Verdict::KeepAndStabilise => T::VerdictKeepStabilise,
        })
    }

    /// What the verdict tells the user to do.
    pub fn verdict_advice(self, v: Verdict) -> &'static str {
        self.t(match v {
            Verdict::Dormant => T::AdviceDormant,
            Verdict::ProtectAndDiversify => T::AdviceProtect,
            Verdict::TooEarly => T::AdviceTooEarly,
            Verdict::Rest => T::AdviceRest,
            Verdict::RepriceOrExit => T::AdviceReprice,
            Verdict::LetGoGradually => T::AdviceLetGo,
            Verdict::UpsellToB => T::AdviceUpsell,
            Verdict::KeepForIndirectValue => T::AdviceIndirect,
            Verdict::Renegotiate => T::AdviceRenegotiate,
            Verdict::KeyKeep => T::AdviceKeyKeep,
            Verdict::KeyVolatile => T::AdviceKeyVolatile,
            Verdict::KeepAndGrow => T::AdviceKeepGrow,
            Verdict::KeepAndStabilise => T::AdviceKeepStabilise,
        })
    }

    /// A score factor's name.
    pub fn factor(self, f: Factor) -> &'static str {
        self.t(match f {
            Factor::Profitability => T::FactorProfitability,
            Factor::Stability => T::FactorStability,
            Factor::Trend => T::FactorTrend,
            Factor::CostToServe => T::FactorCostToServe,
            Factor::Payment => T::FactorPayment,
            Factor::IndirectValue => T::FactorIndirect,
            Factor::Fit => T::FactorFit,
            Factor::Potential => T::FactorPotential,
        })
    }

    /// A flag's name.
    pub fn flag(self, flag: Flag) -> &'static str {
        self.t(match flag {
            Flag::Loss => T::FlagLoss,
            Flag::NoRevenue => T::FlagNoRevenue,
            Flag::New => T::FlagNew,
            Flag::Inactive => T::FlagInactive,
            Flag::Concentration => T::FlagConcentration,
            Flag::Slid => T::FlagSlid,
            Flag::Ageing => T::FlagAgeing,
        })
    }

    /// What a flag means.
    pub fn flag_explained(self, flag: Flag) -> &'static str {
        self.t(match flag {
            Flag::Loss => T::FlagLossExplained,
            Flag::NoRevenue => T::FlagNoRevenueExplained,
            Flag::New => T::FlagNewExplained,
            Flag::Inactive => T::FlagInactiveExplained,
            Flag::Concentration => T::FlagConcentrationExplained,
            Flag::Slid => T::FlagSlidExplained,
            Flag::Ageing => T::FlagAgeingExplained,
        })
    }

    fn expected(self, e: Expected) -> &'static str {
        self.t(match e {
            Expected::Number => T::ExpNumber,
            Expected::NonNegative => T::ExpNonNegative,
            Expected::WholeNumber => T::ExpWholeNumber,
            Expected::IcpFit => T::ExpIcpFit,
            Expected::Potential => T::ExpPotential,
            Expected::Status => T::ExpStatus,
            Expected::Boolean => T::ExpBoolean,
            Expected::Date => T::ExpDate,
            Expected::Period => T::ExpPeriod,
            Expected::NonEmpty => T::ExpNonEmpty,
            Expected::Fraction => T::ExpFraction,
            Expected::PositiveFraction => T::ExpPositiveFraction,
            Expected::PositiveWholeNumber => T::ExpPositiveWhole,
            Expected::Window => T::ExpWindow,
            Expected::AbcBasis => T::ExpAbcBasis,
            Expected::XyzMethod => T::ExpXyzMethod,
            Expected::PeriodKind => T::ExpPeriodKind,
            Expected::Currency => T::ExpCurrency,
            Expected::NumberLocale => T::ExpNumberLocale,
            Expected::Object => T::ExpObject,
            Expected::Text => T::ExpText,
        })
    }

    /// An import problem in words (without its position, which the UI shows in its own columns).
    pub fn problem(self, p: &Problem) -> String {
        let n = |x: usize| x.to_string();
        match &p.kind {
            ProblemKind::EmptyFile => self.t(T::ProbEmptyFile).into(),
            ProblemKind::NotText => self.t(T::ProbNotText).into(),
            ProblemKind::TooLarge { bytes, limit } => {
                self.fill(T::ProbTooLarge, &[&n(bytes / 1_048_576), &n(limit / 1_048_576)])
            }
            ProblemKind::NoRows => self.t(T::ProbNoRows).into(),
            ProblemKind::UnknownFormat => self.t(T::ProbUnknownFormat).into(),
            ProblemKind::MissingColumn { column } => self.fill(T::ProbMissingColumn, &[column]),
            ProblemKind::UnknownColumn => self.t(T::ProbUnknownColumn).into(),
            ProblemKind::DuplicateColumn => self.t(T::ProbDuplicateColumn).into(),
            ProblemKind::FieldCount { expected, found } => self.fill(T::ProbFieldCount, &[&n(*found), &n(*expected)]),
            ProblemKind::Invalid { value, expected } if value.is_empty() => {
                self.fill(T::ProbEmptyValue, &[self.expected(*expected)])
            }
            ProblemKind::Invalid { value, expected } => self.fill(T::ProbInvalid, &[value, self.expected(*expected)]),
            ProblemKind::DuplicateRow { first_row } => self.fill(T::ProbDuplicateRow, &[&n(*first_row)]),
            ProblemKind::DuplicateClient { first_row } => self.fill(T::ProbDuplicateClient, &[&n(*first_row)]),
            ProblemKind::UnknownReferrer { client, referrer } => self.fill(T::ProbUnknownReferrer, &[client, referrer]),
            ProblemKind::ReferralCycle { cycle } => self.fill(T::ProbReferralCycle, &[&cycle.join(" → ")]),
            ProblemKind::PeriodOutOfRange { value } => self.fill(T::ProbPeriodRange, &[value]),
            ProblemKind::NotJson { detail } => self.fill(T::ProbNotJson, &[detail]),
            ProblemKind::UnknownKey => self.t(T::ProbUnknownKey).into(),
            ProblemKind::IsBackup => self.t(T::ProbIsBackup).into(),
            ProblemKind::Inconsistent { rule } => self.fill(T::ProbInconsistent, &[rule]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_string_is_translated_in_every_language() {
        for text in T::ALL {
            for lang in Lang::ALL {
                let s = text.get(lang);
                assert!(!s.trim().is_empty(), "{text:?} is empty in {lang:?}");
            }
            // A string left in English in another language is a missing translation, except
            // for names and symbols that read the same.
            let same = text.get(Lang::En) == text.get(Lang::Es) || text.get(Lang::En) == text.get(Lang::Ru);
            assert!(!same || texts::SAME_IN_ALL.contains(text), "{text:?} is not translated");
        }
    }

    #[test]
    fn placeholders_match_across_languages() {
        for text in T::ALL {
            for i in 0..4 {
                let tag = format!("{{{i}}}");
                let counts: Vec<bool> = Lang::ALL.iter().map(|l| text.get(*l).contains(&tag)).collect();
                assert!(counts.iter().all(|c| *c == counts[0]), "{text:?} placeholder {tag} differs");
            }
        }
    }

    #[test]
    fn counts_take_the_plural_form_of_their_language() {
        let cases = [
            (Lang::En, 1, "1 new client"),
            (Lang::En, 0, "0 new clients"),
            (Lang::En, 21, "21 new clients"),
            (Lang::Es, 1, "1 cliente nuevo"),
            (Lang::Es, 1_500, "1.500 clientes nuevos"),
            (Lang::Ru, 1, "1 новый клиент"),
            (Lang::Ru, 21, "21 новый клиент"),
            (Lang::Ru, 3, "3 новых клиента"),
            (Lang::Ru, 24, "24 новых клиента"),
            (Lang::Ru, 5, "5 новых клиентов"),
            (Lang::Ru, 11, "11 новых клиентов"),
            (Lang::Ru, 12, "12 новых клиентов"),
            (Lang::Ru, 111, "111 новых клиентов"),
            (Lang::Ru, 0, "0 новых клиентов"),
        ];
        for (lang, n, want) in cases {
            assert_eq!(lang.count(T::PreviewClientsAdded, n), want, "{lang:?} {n}");
        }
        // A text with one form serves every count.
        assert_eq!(Lang::En.count(T::PreviewRecordsReplaced, 1), "1 replaced");
        // A verdict's fact too.
        assert_eq!(Lang::En.count(T::FactFewPeriods, 1), "Only 1 period of history.");
        assert_eq!(Lang::Es.count(T::FactFewPeriods, 2), "Solo 2 periodos de historia.");
        assert_eq!(Lang::Ru.count(T::FactFewPeriods, 2), "История всего 2 периода.");
    }

    #[test]
    fn plural_forms_are_complete() {
        for text in T::ALL {
            let forms = |l: Lang| text.get(l).split('|').count();
            if forms(Lang::En) > 1 || forms(Lang::Es) > 1 || forms(Lang::Ru) > 1 {
                assert!(forms(Lang::En) <= 2 && forms(Lang::Es) <= 2, "{text:?}: one|other");
                assert!(forms(Lang::Ru) == 1 || forms(Lang::Ru) == 3, "{text:?}: one|few|many");
                for l in Lang::ALL {
                    assert!(text.get(l).split('|').all(|f| f.contains("{0}")), "{text:?} {l:?}: every form shows the count");
                }
            }
        }
    }

    #[test]
    fn browser_tags_choose_a_language() {
        assert_eq!(Lang::from_tag("es-MX"), Lang::Es);
        assert_eq!(Lang::from_tag("ru"), Lang::Ru);
        assert_eq!(Lang::from_tag("en-GB"), Lang::En);
        assert_eq!(Lang::from_tag("de"), Lang::En);
    }
}
