//! The worked examples the model imitates. Written for coagent: spoken, with a name, a
//! place and a number each, and cards that reuse the speaker's words. Their topics stay clear
//! of the test fixtures, so the tests measure the model rather than recall of an example.

use super::fields::Key;

pub struct Example {
    pub message: &'static str,
    pub title: &'static str,
    pub summary: &'static str,
    pub help_needed: &'static str,
    pub tags: &'static str,
}

impl Example {
    pub fn value(&self, key: Key) -> &'static str {
        match key {
            Key::Title => self.title,
            Key::Summary => self.summary,
            Key::HelpNeeded => self.help_needed,
            Key::Tags => self.tags,
        }
    }
}

pub const EXAMPLES: [Example; 4] = [
    Example {
        message: "Okay so, this is Dana from the Leeds warehouse. We move to a new stock system on the \
third of March and honestly my pickers have had almost no training. Half of them still use \
paper lists. I'm worried we'll ship the wrong orders for weeks. Has anyone rolled out a new \
warehouse system with a team that isn't very technical? I need advice on how to train them fast.",
        title: "Pickers untrained before a new stock system",
        summary: "The Leeds warehouse moves to a new stock system on the third of March and the pickers have had almost no training. Half of them still use paper lists.",
        help_needed: "Advice on how to train a team that isn't very technical on a new warehouse system, fast.",
        tags: "training, warehouse, software",
    },
    Example {
        message: "Hi, it's Omar. Since we changed the billing format, my call center team in Porto gets \
about two hundred complaints a day. People are stressed and two agents have already quit. I \
don't know if I should push back on the billing change or just hire temps. I'm looking for \
someone who has dealt with a complaint spike like this.",
        title: "Complaint spike after a billing change",
        summary: "Omar's call center team in Porto gets about two hundred complaints a day since the billing format changed, and two agents have quit.",
        help_needed: "Someone who has dealt with a complaint spike: push back on the billing change or hire temps?",
        tags: "complaints, billing, staffing",
    },
    Example {
        message: "So the landlord of our office in Ghent wants twenty percent more rent when the lease \
ends in September. We are eleven people and most of us come in only twice a week. Moving means \
new contracts, movers, maybe losing a day of work. Should we negotiate or just move somewhere \
smaller? I'd like to hear from someone who renegotiated a lease recently.",
        title: "Rent up twenty percent at lease renewal",
        summary: "The landlord of the Ghent office wants twenty percent more rent when the lease ends in September. The eleven people mostly come in twice a week.",
        help_needed: "Advice from someone who renegotiated a lease recently: negotiate or move somewhere smaller?",
        tags: "office, lease, costs",
    },
    Example {
        message: "Hey, Ines here, sales in Madrid. We rolled out the new CRM six weeks ago and my reps \
still keep their deals in spreadsheets. Only about a third of the pipeline is in the system, so \
my forecasts are guesses. I've done two trainings already. How do I get experienced reps to \
actually switch?",
        title: "Sales reps not adopting the new CRM",
        summary: "Six weeks after the new CRM rollout in Madrid, the reps still keep their deals in spreadsheets and only about a third of the pipeline is in the system.",
        help_needed: "How to get experienced reps to actually switch to the CRM.",
        tags: "crm, sales, adoption",
    },
];
