//! Instances (a `Session` plus the host's driver, as `TokenSession` runs it) and the seeded
//! scheduler that completes their pending operations in arbitrary interleavings.

use super::provider::SimProvider;
use super::sim::{client, Clock, Rng, SimApi, SimStore};
use oauth_edge::core::error::Error;
use oauth_edge::core::http::Request;
use oauth_edge::core::oauth2::client::ClientAuth;
use oauth_edge::core::oauth2::session::{ApiCall, Session, SessionConfig, TokenRecord};
use oauth_edge::core::oauth2::TokenSet;

/// The result of a sign-in caller (`Persisted`).
pub const PERSISTED: u16 = 0;

/// An operation out with the host.
#[derive(Debug, Clone)]
pub enum Op {
    Load,
    Save {
        record: TokenRecord,
        expected: Option<String>,
    },
    Send(Request),
    Lock,
    Unlock,
}

/// One process/isolate holding a `Session` for the family.
#[derive(Debug)]
pub struct Instance {
    pub session: Session,
    /// The operation in flight and when it can complete at the earliest.
    pub op: Option<(Op, u64)>,
    pub sleep: Option<u64>,
    /// The driver loop runs (an operation or a sleep is pending).
    pub(super) running: bool,
    /// Dies instead of sending its next refresh (its lease stays in the store).
    pub crash_on_send: bool,
    pub crashed: bool,
    /// The token endpoint answers this instance this much later.
    pub send_delay_ms: u64,
    pub(super) token_waiters: Vec<usize>,
    pub(super) persist_waiters: Vec<usize>,
}

#[derive(Debug, Clone)]
pub enum CallerState {
    Arriving(u64),
    Waiting,
    /// Has a token; the API request is pending.
    Api(String),
    /// `ApiStep::Retry`: asks for a token again at this time.
    Pause(u64),
    /// The user completes an authorization at this time (a new grant), signed in here.
    SignInAt(u64),
    Done(Result<u16, Error>),
}

#[derive(Debug, Clone)]
pub struct Caller {
    pub inst: usize,
    pub state: CallerState,
    pub(super) api: ApiCall,
    pub api_requests: u32,
    pub arrive_at: u64,
    pub done_at: Option<u64>,
}

impl Caller {
    pub fn result(&self) -> Option<&Result<u16, Error>> {
        match &self.state {
            CallerState::Done(r) => Some(r),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Event {
    Op(usize),
    Wake(usize),
    Arrive(usize),
    Api(usize),
}

/// Random fault rates (percent per operation).
#[derive(Debug, Clone, Copy, Default)]
pub struct Faults {
    pub too_many: u64,
    pub unavailable: u64,
    pub fail_before: u64,
    pub lose_response: u64,
    pub load_error: u64,
    pub save_error: u64,
    pub lock_error: u64,
}

pub struct Sim {
    pub seed: u64,
    pub clock: Clock,
    pub rng: Rng,
    pub store: SimStore,
    pub provider: SimProvider,
    pub api: SimApi,
    pub config: SessionConfig,
    pub instances: Vec<Instance>,
    pub callers: Vec<Caller>,
    pub faults: Faults,
    /// Each store or provider operation takes up to this long (0: no time at all).
    pub latency_ms: u64,
    pub steps: u64,
    pub max_steps: u64,
    /// Every action and outcome, when tracing (for reading a failing seed).
    pub trace: Option<Vec<String>>,
}

impl Sim {
    /// `n` instances on one store, tokens of `lifetime_s` seconds; nothing stored yet.
    pub fn new(seed: u64, n: usize, config: SessionConfig, lifetime_s: u64) -> Sim {
        Sim::with_auth(seed, n, config, lifetime_s, ClientAuth::Basic)
    }

    pub fn with_auth(
        seed: u64,
        n: usize,
        config: SessionConfig,
        lifetime_s: u64,
        auth: ClientAuth,
    ) -> Sim {
        let instances = (0..n)
            .map(|i| Instance {
                session: Session::new(config, client(auth), &format!("i{i}")),
                op: None,
                sleep: None,
                running: false,
                crash_on_send: false,
                crashed: false,
                send_delay_ms: 0,
                token_waiters: Vec::new(),
                persist_waiters: Vec::new(),
            })
            .collect();
        Sim {
            seed,
            clock: Clock::new(),
            rng: Rng::new(seed),
            store: SimStore::default(),
            provider: SimProvider::new(client(auth), lifetime_s),
            api: SimApi::default(),
            config,
            instances,
            callers: Vec::new(),
            faults: Faults::default(),
            latency_ms: 0,
            steps: 0,
            max_steps: 200_000,
            trace: None,
        }
    }

    pub fn now(&self) -> u64 {
        self.clock.now()
    }

    /// The user authorized at the provider before the simulation; the store holds the tokens.
    pub fn seed_store(&mut self) -> TokenSet {
        let tokens = self.provider.authorize(self.now());
        self.store
            .seed(&TokenRecord::new(tokens.clone(), self.now()));
        tokens
    }

    /// A caller of `fetch` on instance `inst` at time `at`.
    pub fn add_caller(&mut self, inst: usize, at: u64) -> usize {
        self.callers.push(Caller {
            inst,
            state: CallerState::Arriving(at),
            api: ApiCall::new(),
            api_requests: 0,
            arrive_at: at,
            done_at: None,
        });
        self.callers.len() - 1
    }

    /// `Session::sign_in` on instance `inst` now; the caller resolves with `PERSISTED`.
    pub fn add_sign_in(&mut self, inst: usize, tokens: TokenSet) -> usize {
        let c = self.add_caller(inst, self.now());
        self.sign_in(c, tokens);
        c
    }

    /// A new authorization at the provider at `at`, signed in on instance `inst`.
    pub fn add_sign_in_at(&mut self, inst: usize, at: u64) -> usize {
        let c = self.add_caller(inst, at);
        self.callers[c].state = CallerState::SignInAt(at);
        c
    }

    pub(super) fn sign_in(&mut self, c: usize, tokens: TokenSet) {
        let (inst, now) = (self.callers[c].inst, self.now());
        self.callers[c].state = CallerState::Waiting;
        self.instances[inst].session.sign_in(tokens, now);
        self.instances[inst].persist_waiters.push(c);
        self.start(inst);
    }

    /// Runs until nothing is runnable and no timer is left; panics on a hang or a lost waiter.
    pub fn run(&mut self) {
        self.run_until(|_| false);
        self.check_quiescent();
    }

    /// Runs until `stop` holds (checked before each event) or nothing is left to do.
    pub fn run_until(&mut self, mut stop: impl FnMut(&Sim) -> bool) {
        while !stop(self) {
            if self.steps >= self.max_steps {
                panic!(
                    "seed {}: no quiescence after {} steps\n{}",
                    self.seed,
                    self.steps,
                    self.dump()
                );
            }
            if !self.step() {
                return;
            }
        }
    }

    fn check_quiescent(&self) {
        let stuck: Vec<usize> = (0..self.callers.len())
            .filter(|&c| {
                let caller = &self.callers[c];
                caller.result().is_none() && !self.instances[caller.inst].crashed
            })
            .collect();
        let busy = self.instances.iter().any(|i| !i.crashed && i.op.is_some());
        if !stuck.is_empty() || busy {
            panic!(
                "seed {}: hang, callers {stuck:?} never resolved\n{}",
                self.seed,
                self.dump()
            );
        }
    }

    pub fn dump(&self) -> String {
        let mut out = format!(
            "now {} store v{} {:?}\n",
            self.now(),
            self.store.version(),
            self.store.record()
        );
        for (i, inst) in self.instances.iter().enumerate() {
            out += &format!(
                "i{i}: op {:?} sleep {:?} {:?}\n",
                inst.op.as_ref().map(|o| &o.0),
                inst.sleep,
                inst.session
            );
        }
        for (c, caller) in self
            .callers
            .iter()
            .enumerate()
            .filter(|(_, c)| c.result().is_none())
        {
            out += &format!("caller {c} on i{}: {:?}\n", caller.inst, caller.state);
        }
        out
    }

    /// Completes one runnable event (or moves the clock to the next timer); false when idle.
    pub fn step(&mut self) -> bool {
        let now = self.now();
        let mut runnable = Vec::new();
        let mut next_timer: Option<u64> = None;
        let mut timer = |t: u64| next_timer = Some(next_timer.map_or(t, |n| n.min(t)));
        for (i, inst) in self
            .instances
            .iter()
            .enumerate()
            .filter(|(_, i)| !i.crashed)
        {
            match (&inst.op, inst.sleep) {
                (Some((Op::Lock, _)), _) => {
                    if self.store.holder.is_none() && self.store.queue.front() == Some(&i) {
                        runnable.push(Event::Op(i));
                    }
                }
                (Some((_, ready)), _) if *ready <= now => runnable.push(Event::Op(i)),
                (Some((_, ready)), _) => timer(*ready),
                (None, Some(t)) if t <= now => runnable.push(Event::Wake(i)),
                (None, Some(t)) => timer(t),
                (None, None) => {}
            }
        }
        for (c, caller) in self.callers.iter().enumerate() {
            match caller.state {
                CallerState::Arriving(t) | CallerState::Pause(t) | CallerState::SignInAt(t)
                    if t <= now =>
                {
                    runnable.push(Event::Arrive(c))
                }
                CallerState::Arriving(t) | CallerState::Pause(t) | CallerState::SignInAt(t) => {
                    timer(t)
                }
                CallerState::Api(_) => runnable.push(Event::Api(c)),
                CallerState::Waiting | CallerState::Done(_) => {}
            }
        }
        if runnable.is_empty() {
            return match next_timer {
                Some(t) => {
                    self.clock.advance_to(t);
                    true
                }
                None => false,
            };
        }
        self.steps += 1;
        let event = runnable[self.rng.below(runnable.len() as u64) as usize];
        match event {
            Event::Op(i) => self.complete(i),
            Event::Wake(i) => {
                self.instances[i].sleep = None;
                self.drive(i);
            }
            Event::Arrive(c) => match self.callers[c].state {
                CallerState::SignInAt(_) => {
                    let tokens = self.provider.authorize(self.now());
                    self.sign_in(c, tokens);
                }
                _ => self.call(c),
            },
            Event::Api(c) => self.api_request(c),
        }
        true
    }

    /// One expiry cycle: `per_instance[i]` callers on instance `i`, arriving at random between
    /// the stored token's refresh point and `late_ms` after its expiry; runs to quiescence.
    pub fn expiry_cycle(&mut self, per_instance: &[usize], late_ms: u64) {
        self.burst_cycle(per_instance, late_ms, u64::MAX, &[]);
    }

    /// The same, with every arrival inside one burst of `spread_ms` that starts at random in
    /// that window (a small spread: everyone at once), and a new authorization signed in on
    /// each instance of `sign_ins` at a random time of the burst.
    pub fn burst_cycle(&mut self, per: &[usize], late_ms: u64, spread_ms: u64, sign_ins: &[usize]) {
        let record = self.store.record().expect("tokens stored");
        let due = record.refresh_point(self.config.skew_ms).expect("expiring");
        let lo = due.max(self.now());
        let end = (record.tokens.expires_at_ms.expect("expiring") + late_ms).max(lo + 1);
        let (start, spread) = match spread_ms {
            u64::MAX => (lo, end - lo),
            s => (lo + self.rng.below(end - lo), s.max(1)),
        };
        for (i, &n) in per.iter().enumerate() {
            for _ in 0..n {
                let at = start + self.rng.below(spread);
                self.add_caller(i, at);
            }
        }
        for &i in sign_ins {
            let at = start + self.rng.below(spread);
            self.add_sign_in_at(i, at);
        }
        self.run();
    }

    /// Results of every caller, in order.
    pub fn results(&self) -> Vec<Result<u16, Error>> {
        self.callers
            .iter()
            .map(|c| c.result().cloned().expect("resolved"))
            .collect()
    }
}
