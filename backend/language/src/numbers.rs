//! Every number a text states, whether written "15%", "fifteen percent", "40k" or
//! "forty thousand", reduced to its value so that the forms can be compared.

use crate::text::trim_punctuation;

/// A number mentioned in a text: its value and how it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    pub value: f64,
    pub written: String,
}

/// The numbers `text` states. A digit group followed by a scale word ("40 thousand") counts
/// once, as its product; `with_parts` also lists the parts (40 and 1000), which is how a
/// source text is read: a card saying "40" of "40 thousand euros" is not inventing.
pub fn mentions(text: &str, with_parts: bool) -> Vec<Mention> {
    let tokens: Vec<String> = text
        .split(|ch: char| ch.is_whitespace() || ch == '-' || ch == '/' || ch == ':')
        .map(|raw| trim_punctuation(raw).to_lowercase())
        .filter(|token| !token.is_empty())
        .collect();
    let mut found = Vec::new();
    let mut index = 0;
    while index < tokens.len() {
        let start = index;
        let mut phrase = Phrase::default();
        if let Some(value) = digits(&tokens[index]) {
            phrase.current = value;
            phrase.words = 1;
            phrase.from_digits = true;
            index += 1;
        }
        while let Some(token) = tokens.get(index) {
            // "and" joins number words ("two hundred and fifty") only between two of them.
            let joins = token == "and"
                && phrase.words > 0
                && tokens.get(index + 1).is_some_and(|next| word_value(next).is_some());
            if joins {
                index += 1;
                continue;
            }
            match word_value(token) {
                Some(word) if phrase.accepts(word) => {
                    if with_parts {
                        push(&mut found, word.value(), token);
                    }
                    phrase.add(word);
                    index += 1;
                }
                _ => break,
            }
        }
        if index == start {
            index += 1;
            continue;
        }
        let written = tokens[start..index].join(" ");
        if with_parts && phrase.words > 1 {
            if let Some(value) = digits(&tokens[start]) {
                push(&mut found, value, &tokens[start]);
            }
        }
        push(&mut found, phrase.total(), &written);
    }
    found
}

fn push(found: &mut Vec<Mention>, value: f64, written: &str) {
    found.push(Mention { value, written: written.to_string() });
}

/// The value of a token written with digits: "1,200" → 1200, "15%" → 15, "40k" → 40000,
/// "3rd" → 3, "€2.5" → 2.5. `None` when it holds no digit.
fn digits(token: &str) -> Option<f64> {
    if !token.chars().any(|ch| ch.is_ascii_digit()) {
        return None;
    }
    let token = token.trim_start_matches(|ch: char| !ch.is_ascii_digit());
    let number: String = token
        .chars()
        .take_while(|ch| ch.is_ascii_digit() || *ch == '.' || *ch == ',')
        .filter(|ch| *ch != ',')
        .collect();
    let rest = &token[token.find(|ch: char| !(ch.is_ascii_digit() || ch == '.' || ch == ',')).unwrap_or(token.len())..];
    let value: f64 = number.trim_end_matches('.').parse().ok()?;
    let scale = match rest {
        "k" => 1e3,
        "m" | "mn" => 1e6,
        "bn" => 1e9,
        _ => 1.0,
    };
    Some(value * scale)
}

#[derive(Debug, Clone, Copy)]
enum NumberWord {
    /// zero to ninety-nine, and ordinals from "third" on.
    Small(f64),
    /// hundred, dozen: multiply what came before.
    Multiplier(f64),
    /// thousand, million, billion: close a group.
    Scale(f64),
}

impl NumberWord {
    fn value(self) -> f64 {
        match self {
            Self::Small(value) | Self::Multiplier(value) | Self::Scale(value) => value,
        }
    }
}

#[derive(Default)]
struct Phrase {
    total: f64,
    current: f64,
    words: usize,
    last_small: Option<f64>,
    /// Began with digits: "40 thousand" is one number, "15 twenty" is two.
    from_digits: bool,
}

impl Phrase {
    /// "twenty five" is one number, "five twenty" is two.
    fn accepts(&self, word: NumberWord) -> bool {
        match (word, self.last_small) {
            (NumberWord::Small(_), _) if self.from_digits => false,
            (NumberWord::Small(value), Some(last)) => last >= 20.0 && last % 10.0 == 0.0 && value < 10.0,
            _ => true,
        }
    }

    fn add(&mut self, word: NumberWord) {
        match word {
            NumberWord::Small(value) => {
                self.current += value;
                self.last_small = Some(value);
            }
            NumberWord::Multiplier(value) => {
                self.current = self.current.max(1.0) * value;
                self.last_small = None;
            }
            NumberWord::Scale(value) => {
                self.total += self.current.max(1.0) * value;
                self.current = 0.0;
                self.last_small = None;
            }
        }
        self.words += 1;
    }

    fn total(&self) -> f64 {
        self.total + self.current
    }
}

/// Number words. "first" and "second" are left out on purpose: "at first" and "a second
/// opinion" are not quantities. "one" is kept: "one month late" can be an invented fact, and
/// a transcript that says "one of them" lets a card say it too.
fn word_value(word: &str) -> Option<NumberWord> {
    const SMALL: [(&str, f64); 47] = [
        ("zero", 0.0),
        ("one", 1.0),
        ("two", 2.0),
        ("three", 3.0),
        ("four", 4.0),
        ("five", 5.0),
        ("six", 6.0),
        ("seven", 7.0),
        ("eight", 8.0),
        ("nine", 9.0),
        ("ten", 10.0),
        ("eleven", 11.0),
        ("twelve", 12.0),
        ("thirteen", 13.0),
        ("fourteen", 14.0),
        ("fifteen", 15.0),
        ("sixteen", 16.0),
        ("seventeen", 17.0),
        ("eighteen", 18.0),
        ("nineteen", 19.0),
        ("twenty", 20.0),
        ("thirty", 30.0),
        ("forty", 40.0),
        ("fifty", 50.0),
        ("sixty", 60.0),
        ("seventy", 70.0),
        ("eighty", 80.0),
        ("ninety", 90.0),
        ("third", 3.0),
        ("fourth", 4.0),
        ("fifth", 5.0),
        ("sixth", 6.0),
        ("seventh", 7.0),
        ("eighth", 8.0),
        ("ninth", 9.0),
        ("tenth", 10.0),
        ("eleventh", 11.0),
        ("twelfth", 12.0),
        ("fifteenth", 15.0),
        ("twentieth", 20.0),
        ("thirtieth", 30.0),
        ("twice", 2.0),
        ("thrice", 3.0),
        ("fourteenth", 14.0),
        ("thirteenth", 13.0),
        ("sixteenth", 16.0),
        ("eighteenth", 18.0),
    ];
    match word {
        "hundred" | "hundreds" => Some(NumberWord::Multiplier(100.0)),
        "dozen" | "dozens" => Some(NumberWord::Multiplier(12.0)),
        "thousand" | "thousands" => Some(NumberWord::Scale(1e3)),
        "million" | "millions" => Some(NumberWord::Scale(1e6)),
        "billion" | "billions" => Some(NumberWord::Scale(1e9)),
        _ => SMALL.iter().find(|(name, _)| *name == word).map(|(_, value)| NumberWord::Small(*value)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str, with_parts: bool) -> Vec<f64> {
        mentions(text, with_parts).iter().map(|mention| mention.value).collect()
    }

    #[test]
    fn digits_and_words_give_the_same_values() {
        assert_eq!(values("a 15% cut", false), [15.0]);
        assert_eq!(values("a fifteen percent cut", false), [15.0]);
        assert_eq!(values("forty thousand euros, or €40,000, or 40k", false), [40_000.0; 3]);
        assert_eq!(values("two hundred and fifty people", false), [250.0]);
        assert_eq!(values("twenty-five stores", false), [25.0]);
        assert_eq!(values("on the third of March, 2.5 million", false), [3.0, 2_500_000.0]);
    }

    #[test]
    fn a_source_also_offers_the_parts_of_its_compound_numbers() {
        assert_eq!(values("40 thousand", true), [1000.0, 40.0, 40_000.0]);
    }

    #[test]
    fn ordinals_first_and_second_are_not_numbers() {
        assert!(values("at first, a second opinion", false).is_empty());
        assert_eq!(values("one month late", false), [1.0]);
        assert!(values("Q and A", false).is_empty());
    }

    #[test]
    fn separate_number_words_stay_separate_numbers() {
        assert_eq!(values("five twenty", false), [5.0, 20.0]);
        assert_eq!(values("3:30 on 2/3", false), [3.0, 30.0, 2.0, 3.0]);
    }
}
