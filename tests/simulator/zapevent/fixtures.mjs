// ZapEvent fixture additions: event 1005 with a 10,000-participant activity, activity questions,
// the participant field checked_in and the OAuth 2 client. They come from their OWN mulberry32
// stream (derived from the fixture seed), so every value drawn by fixtures.mjs keeps its value.

import { draws, mulberry32 } from "../util.mjs";

/** XOR-ed into the fixture seed for the additions' stream. */
const STREAM = 0x7a9e0005;

/** Registered OAuth 2 redirect URIs (loopback ones match any port, RFC 8252 §7.3). */
const REDIRECT_URIS = ["http://127.0.0.1/callback", "http://localhost/callback",
  "http://127.0.0.1/app/callback.html", "http://localhost/app/callback.html",
  "https://myapp.example/zapevent/oauth2/callback"];

/**
 * Question bank. Texts hold '<', '&', a newline (→ CDATA in XML) and an apostrophe (→ &#39;);
 * options hold commas and quotes (→ CSV quoting) but never '|' (the CSV option separator).
 */
const QUESTION_BANK = [
  { question: "T-shirt size", question_type: "select", options: ["XS", "S", "M", "L", "XL"] },
  { question: "Emergency contact <name & phone>", question_type: "text", options: [] },
  { question: "Dietary needs?\nTick all that apply", question_type: "checkbox", options: ["Vegetarian", "Vegan", "Gluten-free", "None, thanks"] },
  { question: "How did you hear about us?", question_type: "select", options: ["Friend", "Social media", 'Flyer "Run MN"', "Other"] },
  { question: "I accept the waiver & release", question_type: "checkbox", options: ["I accept"] },
  { question: "Club / team name", question_type: "text", options: [] },
  { question: "Shuttle from O'Hare?", question_type: "select", options: ["Yes", "No"] },
  { question: "Estimated finish time (hh:mm) > 0", question_type: "text", options: [] },
];

/** Extra notes for the marathon participants ('>' and an apostrophe stay entity-escaped). */
const MARATHON_NOTES = ["", "", "", "", "Age > 18 confirmed", "O'Connor's running club", "Pace group 4:00\nCorral B",
  'Bib name "Speedy"', "Wheelchair division, gate A", "Allergies: <none> & fine", "Emoji 🏃 ok"];

/**
 * Adds event 1005 (activity 2006, 10,000 participants from registration id `regId` on) to
 * `events`/`participants`, gives every participant `checked_in`, and returns the questions,
 * the marathon summary and the OAuth 2 client.
 */
export function createZapEventAdditions(seed, { firstNames, lastNames, ascii, pad, events, participants, regId }) {
  const rnd = mulberry32((seed ^ STREAM) >>> 0);
  const { int, pick, hex } = draws(rnd);

  events.push({ event_id: 1005, owner: 7001, name: "City Marathon 2025", event_type: "Running/Walking", event_status: "public",
    start_date: "10-05-2025", end_date: "10-05-2025", created: "05-01-2025", city: "Minneapolis", state: "MN",
    country: "United States", url: "https://www.zapevent.com/e/1005",
    activities: [{ activity_id: 2006, name: "Marathon (42.195 km)", start_date: "10-05-2025", price: "85.00" }] });

  for (const p of participants) p.checked_in = rnd() < 0.3; // existing participants: new field only
  const firstRegistrationId = regId;
  const total = 10000;
  for (let i = 0; i < total; i++, regId++) {
    const p = participantRecord({ int, pick, ascii, pad, firstNames, lastNames }, regId, 1005, 2006, {
      ages: [16, 85],
      lastMonth: 9,
      amounts: ["85.00", "85.00", "70.00", "0.00"],
      cities: ["Minneapolis", "St. Paul", "Duluth", "São Paulo", "Zürich", "New York, NY"],
      notes: MARATHON_NOTES,
    });
    p.checked_in = rnd() < 0.6;
    participants.push(p);
  }

  // 1-4 questions per activity (every event, the other organizer's included), ids from 4001.
  const questions = [];
  let questionId = 4001;
  let cursor = 0; // round-robin through the bank, so every kind of question occurs
  for (const e of events) {
    for (const a of e.activities) {
      const n = int(1, 4);
      for (let k = 0; k < n; k++) {
        const q = QUESTION_BANK[cursor++ % QUESTION_BANK.length];
        questions.push({ question_id: questionId++, event_id: e.event_id, activity_id: a.activity_id, question: q.question,
          question_type: q.question_type, required: rnd() < 0.5, options: [...q.options] });
      }
    }
  }

  return {
    questions,
    marathon: { eventId: 1005, activityId: 2006, participants: total, firstRegistrationId, lastRegistrationId: regId - 1 },
    // The OAuth 2 generation's registered application (distinct from the OAuth 1 consumer so a
    // mix-up shows). Hex only: raw and RFC 6749 §2.3.1 form-encoded Basic credentials coincide.
    oauth2: { clientId: hex(32), clientSecret: hex(40, true), redirectUris: REDIRECT_URIS, accessTokenTtl: 3600 },
  };
}

/**
 * One ZapEvent participant drawn from a seeded generator (`int`, `pick`): the shape every
 * fixture participant has, with the value ranges of its event. The draw order is part of the
 * fixtures: change it and every participant after it changes.
 */
export function participantRecord({ int, pick, ascii, pad, firstNames, lastNames }, regId, eventId, activityId, { ages, lastMonth, amounts, cities, notes }) {
  const fn = pick(firstNames);
  const ln = pick(lastNames);
  return {
    registration_id: regId,
    participant_id: 90000 + regId * 3 - 150000,
    event_id: eventId,
    activity_id: activityId,
    first_name: fn,
    last_name: ln,
    email: `${ascii(fn)}.${ascii(ln)}.${regId}@example.org`,
    gender: pick(["M", "F", "X"]),
    age: int(ages[0], ages[1]),
    registration_date: `${pad(int(1, lastMonth))}-${pad(int(1, 28))}-2025`,
    amount_paid: pick(amounts),
    payment_status: pick(["paid", "paid", "paid", "pending", "refunded"]),
    city: pick(cities),
    notes: pick(notes),
  };
}
