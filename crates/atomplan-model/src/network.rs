//! The network: what the optimiser plans, in PyPSA's vocabulary.
//!
//! It exists so that the LP builder works on validated, index-linked data (bus indices, not names;
//! every default already applied) and knows no file format.
//! Units follow PyPSA: MW, MWh, currency per MW per modelled horizon (`capital_cost`),
//! currency per MWh (`marginal_cost`), t CO2 per MWh of primary energy (`co2_emissions`).

/// A value that is either the same in every snapshot or given per snapshot.
#[derive(Debug, Clone, PartialEq)]
pub enum Series {
    Static(f64),
    /// One value per snapshot, in snapshot order.
    Varying(Vec<f64>),
}

impl Series {
    /// The value at snapshot `snapshot_idx`.
    ///
    /// A `Varying` series shorter than the snapshot axis cannot come out of the importer; should it
    /// happen anyway the last value is repeated rather than panicking.
    #[inline]
    pub fn at(&self, snapshot_idx: usize) -> f64 {
        match self {
            Series::Static(value) => *value,
            Series::Varying(values) => values
                .get(snapshot_idx)
                .or(values.last())
                .copied()
                .unwrap_or(0.0),
        }
    }

    pub fn is_varying(&self) -> bool {
        matches!(self, Series::Varying(_))
    }
}

/// The time axis with PyPSA's three weightings (hours each snapshot stands for).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Snapshots {
    /// Labels as written in `snapshots.csv` (naive timestamps).
    pub names: Vec<String>,
    /// Multiplies operating cost in the objective.
    pub objective: Vec<f64>,
    /// Hours per snapshot in the storage balance.
    pub stores: Vec<f64>,
    /// Multiplies generator energy in global constraints (CO2).
    pub generators: Vec<f64>,
    /// The investment period of each snapshot (PyPSA's `period` level of the snapshot index),
    /// non-decreasing; empty for a network of one period.
    pub periods: Vec<i32>,
}

/// One investment period of a multi-period network, with PyPSA's two weightings
/// (`investment_period_weightings`).
#[derive(Debug, Clone, PartialEq)]
pub struct InvestmentPeriod {
    /// The period's label, a year (`build_year` and `lifetime` are compared with it).
    pub period: i32,
    /// Multiplies the period's operating costs and the capital cost of every asset active in it
    /// (a discount factor summed over the period's years, when the modeller sets one).
    pub objective: f64,
    /// Years the period stands for.
    pub years: f64,
}

impl Snapshots {
    /// `n` hourly snapshots named `0 … n-1`, every weighting 1.
    pub fn hourly(n_snapshots: usize) -> Self {
        Snapshots {
            names: (0..n_snapshots).map(|t| t.to_string()).collect(),
            objective: vec![1.0; n_snapshots],
            stores: vec![1.0; n_snapshots],
            generators: vec![1.0; n_snapshots],
            periods: Vec::new(),
        }
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Bus {
    pub name: String,
    /// Nominal voltage in kV; converts line reactance to per unit (`x / v_nom²`).
    pub v_nom: f64,
    /// `AC` or `DC`: which impedance (x or r) enters Kirchhoff's voltage law.
    pub carrier: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Carrier {
    pub name: String,
    /// t CO2 per MWh of primary energy.
    pub co2_emissions: f64,
}

/// Capacity of an asset: fixed (`p_nom`) or chosen by the optimiser between `min` and `max`.
#[derive(Debug, Clone, PartialEq)]
pub struct Capacity {
    /// `p_nom` (or `s_nom`): the fixed capacity when not extendable.
    pub nominal: f64,
    pub extendable: bool,
    pub min: f64,
    pub max: f64,
    /// Currency per MW per modelled horizon; enters the objective only when extendable.
    pub capital_cost: f64,
    /// PyPSA's `p_nom_mod` (`s_nom_mod` for lines): module size in MW; 0 when not modular.
    /// An extendable modular asset is built in whole modules.
    pub module: f64,
    /// PyPSA's `build_year` and `lifetime` (years): in a multi-period network the asset is active
    /// in period `y` when `build_year ≤ y < build_year + lifetime`. Ignored in one period, as in
    /// PyPSA.
    pub build_year: f64,
    pub lifetime: f64,
}

impl Capacity {
    pub fn fixed(nominal: f64) -> Self {
        Capacity {
            nominal,
            extendable: false,
            min: 0.0,
            max: f64::INFINITY,
            capital_cost: 0.0,
            module: 0.0,
            build_year: 0.0,
            lifetime: f64::INFINITY,
        }
    }

    pub fn extendable(min: f64, max: f64, capital_cost: f64) -> Self {
        Capacity {
            nominal: 0.0,
            extendable: true,
            min,
            max,
            capital_cost,
            module: 0.0,
            build_year: 0.0,
            lifetime: f64::INFINITY,
        }
    }

    /// True when the asset has a module size (`p_nom_mod > 0`).
    pub fn is_modular(&self) -> bool {
        self.module > 0.0
    }

    /// PyPSA's `get_active_assets`: whether the asset runs in investment period `period`.
    pub fn active_in(&self, period: i32) -> bool {
        let year = f64::from(period);
        self.build_year <= year && year < self.build_year + self.lifetime
    }

    /// The largest capacity the asset can have.
    pub fn upper(&self) -> f64 {
        if self.extendable {
            self.max
        } else {
            self.nominal
        }
    }
}

/// PyPSA's unit-commitment and ramping attributes of a generator or link, with PyPSA 1.4's
/// defaults (see [`Operation::default`]).
///
/// Ramp limits are per unit of the nominal capacity per snapshot; `None` is PyPSA's NaN (no limit).
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// `committable`: on/off status (binary, or a module count when modular) per snapshot.
    pub committable: bool,
    /// Snapshots; 0 is no limit.
    pub min_up_time: usize,
    pub min_down_time: usize,
    /// Snapshots the unit was on before the first snapshot (default 1).
    pub up_time_before: usize,
    /// Snapshots the unit was off before the first snapshot; takes precedence when positive.
    pub down_time_before: usize,
    /// Currency per start-up (not weighted by snapshot weightings, as in PyPSA).
    pub start_up_cost: Series,
    pub shut_down_cost: Series,
    /// Currency per hour of status 1 (weighted by the objective weighting).
    pub stand_by_cost: Series,
    pub ramp_limit_up: Option<Series>,
    pub ramp_limit_down: Option<Series>,
    pub ramp_limit_start_up: Option<f64>,
    pub ramp_limit_shut_down: Option<f64>,
    /// `p_init`: dispatch before the first snapshot, for its ramp limit; `None` when not given.
    pub p_init: Option<f64>,
}

impl Default for Operation {
    fn default() -> Self {
        Operation {
            committable: false,
            min_up_time: 0,
            min_down_time: 0,
            up_time_before: 1,
            down_time_before: 0,
            start_up_cost: Series::Static(0.0),
            shut_down_cost: Series::Static(0.0),
            stand_by_cost: Series::Static(0.0),
            ramp_limit_up: None,
            ramp_limit_down: None,
            ramp_limit_start_up: None,
            ramp_limit_shut_down: None,
            p_init: None,
        }
    }
}

impl Operation {
    /// True when any ramp limit is set (PyPSA then adds ramp rows).
    pub fn has_ramp_limits(&self) -> bool {
        self.ramp_limit_up.is_some()
            || self.ramp_limit_down.is_some()
            || self.ramp_limit_start_up.is_some()
            || self.ramp_limit_shut_down.is_some()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Generator {
    pub name: String,
    pub bus: usize,
    pub carrier: String,
    pub capacity: Capacity,
    pub p_min_pu: Series,
    pub p_max_pu: Series,
    pub marginal_cost: Series,
    /// Output per unit of primary energy; only used by primary-energy (CO2) constraints.
    pub efficiency: f64,
    /// +1 injects into the bus (PyPSA's `sign`).
    pub sign: f64,
    /// Unit commitment and ramp limits.
    pub operation: Operation,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Load {
    pub name: String,
    pub bus: usize,
    pub p_set: Series,
    /// PyPSA's `sign`, default -1 (consumption).
    pub sign: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StorageUnit {
    pub name: String,
    pub bus: usize,
    pub carrier: String,
    pub capacity: Capacity,
    /// Charging limit is `-p_min_pu · p_nom` (default -1).
    pub p_min_pu: Series,
    pub p_max_pu: Series,
    /// Applies to `p_dispatch` only.
    pub marginal_cost: Series,
    pub max_hours: f64,
    pub efficiency_store: f64,
    pub efficiency_dispatch: f64,
    /// Per hour of `stores` weighting.
    pub standing_loss: f64,
    pub cyclic_state_of_charge: bool,
    pub state_of_charge_initial: f64,
    /// Multi-period networks: the state of charge cycles within each investment period
    /// (PyPSA's `cyclic_state_of_charge_per_period`), or starts each period at
    /// `state_of_charge_initial` (`state_of_charge_initial_per_period`). Both default to false:
    /// one chain over the whole horizon.
    pub cyclic_state_of_charge_per_period: bool,
    pub state_of_charge_initial_per_period: bool,
    /// MW of natural inflow; positive inflow also creates a spill variable.
    pub inflow: Series,
    pub sign: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub name: String,
    pub bus0: usize,
    pub bus1: usize,
    pub carrier: String,
    pub capacity: Capacity,
    pub efficiency: f64,
    pub p_min_pu: Series,
    pub p_max_pu: Series,
    pub marginal_cost: Series,
    /// Unit commitment and ramp limits (on `p0`).
    pub operation: Operation,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub name: String,
    pub bus0: usize,
    pub bus1: usize,
    /// Ohm.
    pub x: f64,
    /// Ohm; used instead of `x` on DC buses.
    pub r: f64,
    /// `s_nom` and its extendability.
    pub capacity: Capacity,
    pub s_max_pu: Series,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConstraintSense {
    LessEqual,
    GreaterEqual,
    Equal,
}

impl ConstraintSense {
    pub fn as_str(self) -> &'static str {
        match self {
            ConstraintSense::LessEqual => "<=",
            ConstraintSense::GreaterEqual => ">=",
            ConstraintSense::Equal => "==",
        }
    }
}

/// PyPSA's `primary_energy` global constraint on a carrier attribute (always `co2_emissions` here).
#[derive(Debug, Clone, PartialEq)]
pub struct GlobalConstraint {
    pub name: String,
    pub carrier_attribute: String,
    pub sense: ConstraintSense,
    pub constant: f64,
    /// Multi-period networks: the investment period the limit applies to (PyPSA's
    /// `investment_period`); `None` applies it to the whole horizon.
    pub investment_period: Option<i32>,
}

/// A whole network. Component fields refer to buses by index into `buses`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Network {
    pub name: String,
    pub snapshots: Snapshots,
    pub buses: Vec<Bus>,
    pub carriers: Vec<Carrier>,
    pub generators: Vec<Generator>,
    pub loads: Vec<Load>,
    pub storage_units: Vec<StorageUnit>,
    pub links: Vec<Link>,
    pub lines: Vec<Line>,
    pub global_constraints: Vec<GlobalConstraint>,
    /// The investment periods of a multi-period network, in order (empty for one period); each
    /// snapshot's period is in [`Snapshots::periods`].
    pub investment_periods: Vec<InvestmentPeriod>,
    /// When the snapshots of each period are representative periods (days or weeks) standing
    /// for a year, how they follow each other (not a PyPSA attribute: a plan with
    /// `[aggregation]` sets it, `planning/vintages.rs`).
    pub representative: Option<Representative>,
}

/// Representative periods: each investment period's snapshots are `blocks` runs of
/// `block_snapshots` snapshots, each standing for the real periods of the year that `sequence`
/// assigns to it. A storage unit's state of charge either cycles within each block, or is
/// linked across the year's sequence of blocks (Kotzur et al. 2018,
/// docs/formulation/planning-storage.md), as `linked` says for each unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Representative {
    pub block_snapshots: usize,
    /// For every real period of the year in order, the block (representative) standing for it.
    pub sequence: Vec<usize>,
    /// Snapshots of the year's last real period (fewer than `block_snapshots` when partial).
    pub last_snapshots: usize,
    /// Per storage unit: the state of charge is linked across `sequence` (else it cycles within
    /// each block).
    pub linked: Vec<bool>,
}

impl Network {
    /// Whether the snapshot axis has an investment-period level (PyPSA's multi-investment
    /// optimisation).
    pub fn is_multi_period(&self) -> bool {
        !self.investment_periods.is_empty()
    }

    /// The investment period index of snapshot `t` (0 in a network of one period).
    pub fn period_index(&self, t: usize) -> usize {
        if !self.is_multi_period() {
            return 0;
        }
        let Some(&label) = self.snapshots.periods.get(t) else {
            return 0;
        };
        self.investment_periods
            .iter()
            .position(|p| p.period == label)
            .unwrap_or(0)
    }

    /// Whether an asset with this capacity runs at snapshot `t`: always in one period, and in a
    /// multi-period network when it is active in the snapshot's period.
    pub fn is_active(&self, capacity: &Capacity, t: usize) -> bool {
        !self.is_multi_period()
            || self
                .snapshots
                .periods
                .get(t)
                .is_none_or(|&period| capacity.active_in(period))
    }

    /// The objective weight of snapshot `t`: its `objective` weighting, times its investment
    /// period's `objective` weighting in a multi-period network.
    pub fn objective_weight(&self, t: usize) -> f64 {
        let weight = self.snapshots.objective[t];
        if self.is_multi_period() {
            weight * self.investment_periods[self.period_index(t)].objective
        } else {
            weight
        }
    }

    /// What multiplies a generator's primary energy at snapshot `t` in global constraint
    /// `constraint` (PyPSA's `define_primary_energy_limit`): the `generators` weighting, times
    /// the period's `years` in a multi-period network; 0 outside the constraint's own period.
    pub fn primary_energy_weight(&self, constraint: &GlobalConstraint, t: usize) -> f64 {
        let weight = self.snapshots.generators[t];
        if !self.is_multi_period() {
            return weight;
        }
        let period = &self.investment_periods[self.period_index(t)];
        match constraint.investment_period {
            Some(only) if only != period.period => 0.0,
            _ => weight * period.years,
        }
    }

    /// What multiplies an extendable asset's `capital_cost` in the objective: 1 in one period;
    /// in a multi-period network, the sum of the `objective` weightings of the periods it is
    /// active in (PyPSA's `define_objective`).
    pub fn capital_cost_weight(&self, capacity: &Capacity) -> f64 {
        if !self.is_multi_period() {
            return 1.0;
        }
        self.investment_periods
            .iter()
            .filter(|p| capacity.active_in(p.period))
            .map(|p| p.objective)
            .sum()
    }

    /// `co2_emissions` (or another attribute, when ever supported) of a carrier; 0 if unknown.
    pub fn carrier_attribute(&self, carrier: &str, attribute: &str) -> f64 {
        if attribute != "co2_emissions" {
            return 0.0;
        }
        self.carriers
            .iter()
            .find(|candidate| candidate.name == carrier)
            .map_or(0.0, |found| found.co2_emissions)
    }

    /// Whether storage unit `s` keeps its state of charge across representative blocks
    /// ([`Representative::linked`]): its state-of-charge columns are then the state within a
    /// block (`build/linked_storage.rs`).
    pub fn is_linked_storage(&self, s: usize) -> bool {
        self.representative
            .as_ref()
            .is_some_and(|r| r.linked.get(s).copied().unwrap_or(false))
    }

    /// Calls `f` on every per-snapshot series of the network's components: loads, generators,
    /// storage units, links and lines, with their commitment costs and ramp limits. It is for
    /// code that changes the snapshot axis (`planning/vintages.rs`). Each component is
    /// destructured in full, so a series field added to a component cannot be missed here.
    pub(crate) fn for_each_series(&mut self, mut f: impl FnMut(&mut Series)) {
        fn operation(operation: &mut Operation, f: &mut impl FnMut(&mut Series)) {
            let Operation {
                committable: _,
                min_up_time: _,
                min_down_time: _,
                up_time_before: _,
                down_time_before: _,
                start_up_cost,
                shut_down_cost,
                stand_by_cost,
                ramp_limit_up,
                ramp_limit_down,
                ramp_limit_start_up: _,
                ramp_limit_shut_down: _,
                p_init: _,
            } = operation;
            f(start_up_cost);
            f(shut_down_cost);
            f(stand_by_cost);
            ramp_limit_up.iter_mut().for_each(&mut *f);
            ramp_limit_down.iter_mut().for_each(&mut *f);
        }
        for load in &mut self.loads {
            let Load {
                name: _,
                bus: _,
                p_set,
                sign: _,
            } = load;
            f(p_set);
        }
        for generator in &mut self.generators {
            let Generator {
                name: _,
                bus: _,
                carrier: _,
                capacity: _,
                p_min_pu,
                p_max_pu,
                marginal_cost,
                efficiency: _,
                sign: _,
                operation: op,
            } = generator;
            f(p_min_pu);
            f(p_max_pu);
            f(marginal_cost);
            operation(op, &mut f);
        }
        for unit in &mut self.storage_units {
            let StorageUnit {
                name: _,
                bus: _,
                carrier: _,
                capacity: _,
                p_min_pu,
                p_max_pu,
                marginal_cost,
                max_hours: _,
                efficiency_store: _,
                efficiency_dispatch: _,
                standing_loss: _,
                cyclic_state_of_charge: _,
                state_of_charge_initial: _,
                cyclic_state_of_charge_per_period: _,
                state_of_charge_initial_per_period: _,
                inflow,
                sign: _,
            } = unit;
            f(p_min_pu);
            f(p_max_pu);
            f(marginal_cost);
            f(inflow);
        }
        for link in &mut self.links {
            let Link {
                name: _,
                bus0: _,
                bus1: _,
                carrier: _,
                capacity: _,
                efficiency: _,
                p_min_pu,
                p_max_pu,
                marginal_cost,
                operation: op,
            } = link;
            f(p_min_pu);
            f(p_max_pu);
            f(marginal_cost);
            operation(op, &mut f);
        }
        for line in &mut self.lines {
            let Line {
                name: _,
                bus0: _,
                bus1: _,
                x: _,
                r: _,
                capacity: _,
                s_max_pu,
            } = line;
            f(s_max_pu);
        }
    }

    /// Adds a bus and returns its index (for building networks in code and in tests).
    pub fn add_bus(&mut self, name: &str) -> usize {
        self.buses.push(Bus {
            name: name.to_owned(),
            v_nom: 1.0,
            carrier: "AC".to_owned(),
        });
        self.buses.len() - 1
    }
}

impl Generator {
    /// A generator with PyPSA's defaults: fixed 0 MW, `p_max_pu` 1, no costs, efficiency 1.
    pub fn new(name: &str, bus: usize, carrier: &str) -> Self {
        Generator {
            name: name.to_owned(),
            bus,
            carrier: carrier.to_owned(),
            capacity: Capacity::fixed(0.0),
            p_min_pu: Series::Static(0.0),
            p_max_pu: Series::Static(1.0),
            marginal_cost: Series::Static(0.0),
            efficiency: 1.0,
            sign: 1.0,
            operation: Operation::default(),
        }
    }
}

impl StorageUnit {
    /// A storage unit with PyPSA's defaults (non-cyclic, starts empty, 1 h, lossless).
    pub fn new(name: &str, bus: usize, carrier: &str) -> Self {
        StorageUnit {
            name: name.to_owned(),
            bus,
            carrier: carrier.to_owned(),
            capacity: Capacity::fixed(0.0),
            p_min_pu: Series::Static(-1.0),
            p_max_pu: Series::Static(1.0),
            marginal_cost: Series::Static(0.0),
            max_hours: 1.0,
            efficiency_store: 1.0,
            efficiency_dispatch: 1.0,
            standing_loss: 0.0,
            cyclic_state_of_charge: false,
            state_of_charge_initial: 0.0,
            cyclic_state_of_charge_per_period: false,
            state_of_charge_initial_per_period: false,
            inflow: Series::Static(0.0),
            sign: 1.0,
        }
    }
}

impl Link {
    /// A link with PyPSA's defaults (one-way, lossless, fixed 0 MW).
    pub fn new(name: &str, bus0: usize, bus1: usize) -> Self {
        Link {
            name: name.to_owned(),
            bus0,
            bus1,
            carrier: String::new(),
            capacity: Capacity::fixed(0.0),
            efficiency: 1.0,
            p_min_pu: Series::Static(0.0),
            p_max_pu: Series::Static(1.0),
            marginal_cost: Series::Static(0.0),
            operation: Operation::default(),
        }
    }
}

impl Line {
    /// A line with PyPSA's defaults apart from the reactance `x` (Ohm).
    pub fn new(name: &str, bus0: usize, bus1: usize, x: f64) -> Self {
        Line {
            name: name.to_owned(),
            bus0,
            bus1,
            x,
            r: 0.0,
            capacity: Capacity::fixed(0.0),
            s_max_pu: Series::Static(1.0),
        }
    }
}
