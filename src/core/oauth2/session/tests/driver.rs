//! Instances (a `Session` plus the host's driver, as `TokenSession` runs it) and the seeded
//! scheduler that completes their pending operations in arbitrary interleavings.

use super::sim::{client, Clock, Fault, Rng, SimApi, SimProvider, SimStore};
use crate::core::error::Error;
use crate::core::http::Request;
use crate::core::oauth2::client::ClientAuth;
use crate::core::oauth2::session::{
    Action, ApiCall, ApiResponse, ApiStep, Session, SessionConfig, TokenRecord,
};
use crate::core::oauth2::TokenSet;

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
    running: bool,
    /// Dies instead of sending its next refresh (its lease stays in the store).
    pub crash_on_send: bool,
    pub crashed: bool,
    /// The token endpoint answers this instance this much later.
    pub send_delay_ms: u64,
    token_waiters: Vec<usize>,
    persist_waiters: Vec<usize>,
}

#[derive(Debug, Clone)]
pub enum CallerState {
    Arriving(u64),
    Waiting,
    /// Has a token; the API request is pending.
    Api(String),
    /// `ApiStep::Retry`: asks for a token again at this time.
    Pause(u64),
    Done(Result<u16, Error>),
}

#[derive(Debug, Clone)]
pub struct Caller {
    pub inst: usize,
    pub state: CallerState,
    api: ApiCall,
    pub api_requests: u32,
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
    /// Each completed event takes up to this long (0: operations take no time).
    pub latency_ms: u64,
    pub steps: u64,
    pub max_steps: u64,
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
            done_at: None,
        });
        self.callers.len() - 1
    }

    /// `Session::sign_in` on instance `inst` now; the caller resolves with `PERSISTED`.
    pub fn add_sign_in(&mut self, inst: usize, tokens: TokenSet) -> usize {
        let c = self.add_caller(inst, self.now());
        self.callers[c].state = CallerState::Waiting;
        let now = self.now();
        self.instances[inst].session.sign_in(tokens, now);
        self.instances[inst].persist_waiters.push(c);
        self.start(inst);
        c
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
                CallerState::Arriving(t) | CallerState::Pause(t) if t <= now => {
                    runnable.push(Event::Arrive(c))
                }
                CallerState::Arriving(t) | CallerState::Pause(t) => timer(t),
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
            Event::Arrive(c) => self.call(c),
            Event::Api(c) => self.api_request(c),
        }
        if self.latency_ms > 0 {
            let dt = self.rng.below(self.latency_ms + 1);
            self.clock.advance_to(self.now() + dt);
        }
        true
    }

    /// What `TokenSession.fetch` does to get a token: the fast path, else wait for the engine.
    fn call(&mut self, c: usize) {
        let (i, now) = (self.callers[c].inst, self.now());
        let session = &mut self.instances[i].session;
        if let Some(token) = session.usable_token(now) {
            self.callers[c].state = CallerState::Api(token.token().expose().to_owned());
        } else {
            session.want_token();
            self.instances[i].token_waiters.push(c);
            self.callers[c].state = CallerState::Waiting;
            self.start(i);
        }
    }

    fn api_request(&mut self, c: usize) {
        let now = self.now();
        let CallerState::Api(token) = self.callers[c].state.clone() else {
            unreachable!()
        };
        let answer = self.api.call(&self.provider, &self.store, &token, now);
        let response = ApiResponse {
            status: answer.status,
            www_authenticate: answer.www_authenticate.as_deref(),
            retry_after: answer.retry_after.as_deref(),
            used_access_token: &token,
        };
        let random = self.rng.next_u32();
        let caller = &mut self.callers[c];
        caller.api_requests += 1;
        let session = &mut self.instances[caller.inst].session;
        match caller.api.on_response(session, &response, random, now) {
            ApiStep::Done => self.finish(c, Ok(answer.status)),
            ApiStep::Fail(error) => self.finish(c, Err(error)),
            ApiStep::Retry { delay_ms } => caller.state = CallerState::Pause(now + delay_ms),
            ApiStep::RetryWithNewToken => self.call(c),
        }
    }

    fn finish(&mut self, c: usize, result: Result<u16, Error>) {
        self.callers[c].state = CallerState::Done(result);
        self.callers[c].done_at = Some(self.now());
    }

    fn start(&mut self, i: usize) {
        if !self.instances[i].running {
            self.instances[i].running = true;
            self.drive(i);
        }
    }

    fn pick(&mut self, percent: u64) -> bool {
        percent > 0 && self.rng.chance(percent)
    }

    fn fault(&mut self) -> Fault {
        if let Some(f) = self.provider.faults.pop_front() {
            return f;
        }
        let f = self.faults;
        if self.pick(f.fail_before) {
            Fault::FailBefore
        } else if self.pick(f.too_many) {
            Fault::TooMany(self.rng.below(2))
        } else if self.pick(f.unavailable) {
            Fault::Unavailable
        } else if self.pick(f.lose_response) {
            Fault::LoseResponse
        } else {
            Fault::None
        }
    }

    /// The pending operation of instance `i` completes now, atomically.
    fn complete(&mut self, i: usize) {
        let now = self.now();
        let (op, _) = self.instances[i].op.take().expect("runnable");
        match op {
            Op::Load => {
                if self.pick(self.faults.load_error) {
                    self.store.fail_loads += 1;
                }
                let result = self.store.load();
                self.instances[i].session.handle_loaded(result, now);
            }
            Op::Save { record, expected } => {
                if self.pick(self.faults.save_error) {
                    self.store.fail_saves += 1;
                }
                let result = self.store.save(&record, expected.as_deref());
                self.instances[i].session.handle_saved(result, now);
            }
            Op::Send(request) => {
                let fault = self.fault();
                let result = self.provider.handle(&request, now, fault);
                let random = self.rng.next_u32();
                self.instances[i]
                    .session
                    .handle_response(result, random, now);
            }
            Op::Lock => {
                assert_eq!(self.store.queue.pop_front(), Some(i));
                self.store.holder = Some(i);
                self.instances[i].session.handle_locked(Ok(()), now);
            }
            Op::Unlock => {
                assert_eq!(
                    self.store.holder,
                    Some(i),
                    "seed {}: unlock without the lock",
                    self.seed
                );
                self.store.holder = None;
                self.instances[i].session.handle_unlocked();
            }
        }
        self.drive(i);
    }

    /// The host's driver loop: poll until an operation is out, a sleep, or `Idle`.
    fn drive(&mut self, i: usize) {
        let now = self.now();
        for _ in 0..1_000 {
            let inst = &mut self.instances[i];
            if inst.crashed {
                return;
            }
            let op = match inst.session.poll(now) {
                Action::Load => Op::Load,
                Action::Save {
                    record,
                    expected_version,
                } => Op::Save {
                    record,
                    expected: expected_version,
                },
                Action::Send(_) if inst.crash_on_send => {
                    inst.crashed = true;
                    return;
                }
                Action::Send(request) => {
                    inst.op = Some((Op::Send(request), now + inst.send_delay_ms));
                    return;
                }
                Action::Lock => {
                    self.store.queue.push_back(i);
                    Op::Lock
                }
                Action::Unlock => Op::Unlock,
                Action::Sleep { until_ms } => {
                    inst.sleep = Some(until_ms);
                    return;
                }
                Action::Deliver(token) => {
                    let token = token.token().expose().to_owned();
                    for c in std::mem::take(&mut inst.token_waiters) {
                        self.callers[c].state = CallerState::Api(token.clone());
                    }
                    continue;
                }
                Action::Persisted => {
                    for c in std::mem::take(&mut inst.persist_waiters) {
                        self.finish(c, Ok(PERSISTED));
                    }
                    continue;
                }
                Action::Fail(error) => {
                    let mut waiters = std::mem::take(&mut inst.token_waiters);
                    waiters.append(&mut inst.persist_waiters);
                    for c in waiters {
                        self.finish(c, Err(error.clone()));
                    }
                    continue;
                }
                Action::Idle => {
                    inst.running = false;
                    return;
                }
            };
            inst.op = Some((op, now));
            return;
        }
        panic!(
            "seed {}: i{i} polled 1000 times without an operation\n{}",
            self.seed,
            self.dump()
        );
    }

    /// One expiry cycle: `per_instance[i]` callers on instance `i`, arriving at random between
    /// the stored token's refresh point and `late_ms` after its expiry; runs to quiescence.
    pub fn expiry_cycle(&mut self, per_instance: &[usize], late_ms: u64) {
        self.burst_cycle(per_instance, late_ms, u64::MAX);
    }

    /// The same, with every arrival inside one burst of `spread_ms` that starts at random in
    /// that window (a small spread: everyone at once).
    pub fn burst_cycle(&mut self, per_instance: &[usize], late_ms: u64, spread_ms: u64) {
        let record = self.store.record().expect("tokens stored");
        let due = record.refresh_point(self.config.skew_ms).expect("expiring");
        let lo = due.max(self.now());
        let end = (record.tokens.expires_at_ms.expect("expiring") + late_ms).max(lo + 1);
        let (start, spread) = match spread_ms {
            u64::MAX => (lo, end - lo),
            s => (lo + self.rng.below(end - lo), s.max(1)),
        };
        for (i, &n) in per_instance.iter().enumerate() {
            for _ in 0..n {
                let at = start + self.rng.below(spread);
                self.add_caller(i, at);
            }
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
