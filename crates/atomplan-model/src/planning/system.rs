//! The system the planning model optimises: buses, loads, generators, storage units and
//! transport links over a sequence of snapshots cut into blocks (representative periods).
//!
//! It is a compact, planning-oriented view of a network: a PyPSA folder read by the core can be
//! turned into one, and tests and studies can build one directly.
//! [`System::aggregated`] replaces the year by representative periods.

use crate::aggregate::{self, Aggregation};

#[derive(Debug, Clone, PartialEq)]
pub struct Generator {
    pub name: String,
    pub bus: usize,
    /// Existing (non-extendable) capacity, MW.
    pub p_nom: f64,
    pub extendable: bool,
    pub p_nom_min: f64,
    pub p_nom_max: f64,
    /// Cost per MW of capacity per modelled horizon (PyPSA's `capital_cost`).
    pub capital_cost: f64,
    /// USD per MWh.
    pub marginal_cost: f64,
    /// USD per MWh in each snapshot when it varies (PyPSA's `generators-marginal_cost.csv`);
    /// empty means `marginal_cost` throughout.
    pub marginal_cost_t: Vec<f64>,
    /// Lower limit of dispatch per unit of capacity (PyPSA's `p_min_pu`) per snapshot, or one
    /// value for all; empty means 0. On a committable unit it applies while the unit is on.
    pub p_min_pu: Vec<f64>,
    /// Availability per snapshot, or one value for all.
    pub p_max_pu: Vec<f64>,
    /// Emissions, t CO2 per MWh of electric output (0 for nuclear and renewables);
    /// counted against `investment.co2_cap_t`.
    pub co2_t_per_mwh: f64,
    /// PyPSA's `sign`: +1 feeds the bus, -1 draws from it (a dump or a demand with a price).
    pub sign: f64,
    /// PyPSA's `p_init`: output before the first snapshot of a sequential year, which the ramp
    /// limits of that snapshot start from; `None` leaves the first snapshot free.
    pub p_init: Option<f64>,
    /// Per-snapshot commitment costs and ramp limits of a network's generator (PyPSA's
    /// `generators-start_up_cost.csv`, …); each empty series means the unit's constant value.
    pub varying: VaryingOperation,
    /// Big-M of a committable unit whose capacity is a continuous decision (PyPSA's
    /// committable and extendable generator without `p_nom_mod`): the status is a binary, and
    /// $p \le M u$, $p \ge p_{min} P - M (1 - u)$.
    pub big_m: Option<f64>,
    /// Units that the status before the first snapshot (`up_time_before`, `down_time_before`)
    /// and the minimum down time count: PyPSA counts 1 even for a modular unit of several
    /// modules (`Some(1.0)` for a network's committable generator); `None` counts every unit.
    pub history_units: Option<f64>,
    /// Capacity (MW) that a committable unit's ramp rows scale its status by: PyPSA takes the
    /// whole `p_nom` of a fixed unit even when it is modular (`Some(p_nom)` for a network's
    /// fixed committable generator); `None` takes the unit size.
    pub ramp_unit_mw: Option<f64>,
}

/// Commitment costs and ramp limits that vary by snapshot (PyPSA's time-varying generator
/// attributes); an empty series leaves the unit's constant value.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct VaryingOperation {
    pub start_up_cost: Vec<f64>,
    pub shut_down_cost: Vec<f64>,
    pub stand_by_cost: Vec<f64>,
    pub ramp_limit_up: Vec<f64>,
    pub ramp_limit_down: Vec<f64>,
}

impl VaryingOperation {
    /// Value of `series` in snapshot `t`, or `constant` when it does not vary.
    pub fn at(series: &[f64], t: usize, constant: Option<f64>) -> Option<f64> {
        series.get(t).copied().or(constant)
    }

    fn reduced(&self, reduce: &impl Fn(&Vec<f64>) -> Vec<f64>) -> Self {
        VaryingOperation {
            start_up_cost: reduce(&self.start_up_cost),
            shut_down_cost: reduce(&self.shut_down_cost),
            stand_by_cost: reduce(&self.stand_by_cost),
            ramp_limit_up: reduce(&self.ramp_limit_up),
            ramp_limit_down: reduce(&self.ramp_limit_down),
        }
    }
}

impl Default for Generator {
    fn default() -> Self {
        Generator {
            name: String::new(),
            bus: 0,
            p_nom: 0.0,
            extendable: false,
            p_nom_min: 0.0,
            p_nom_max: f64::INFINITY,
            capital_cost: 0.0,
            marginal_cost: 0.0,
            marginal_cost_t: Vec::new(),
            p_min_pu: Vec::new(),
            p_max_pu: vec![1.0],
            co2_t_per_mwh: 0.0,
            sign: 1.0,
            p_init: None,
            varying: VaryingOperation::default(),
            big_m: None,
            history_units: None,
            ramp_unit_mw: None,
        }
    }
}

impl Generator {
    pub fn p_min_pu_at(&self, t: usize) -> f64 {
        match self.p_min_pu.len() {
            0 => 0.0,
            1 => self.p_min_pu[0],
            _ => self.p_min_pu[t],
        }
    }

    /// USD per MWh in snapshot `t`.
    pub fn marginal_cost_at(&self, t: usize) -> f64 {
        self.marginal_cost_t
            .get(t)
            .copied()
            .unwrap_or(self.marginal_cost)
    }

    pub fn p_max_pu_at(&self, t: usize) -> f64 {
        match self.p_max_pu.len() {
            0 => 1.0,
            1 => self.p_max_pu[0],
            _ => self.p_max_pu[t],
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Load {
    pub name: String,
    pub bus: usize,
    /// MW per snapshot, or one value for all.
    pub p_set: Vec<f64>,
}

impl Load {
    pub fn p_set_at(&self, t: usize) -> f64 {
        match self.p_set.len() {
            0 => 0.0,
            1 => self.p_set[0],
            _ => self.p_set[t],
        }
    }
}

/// A branch between two buses: a PyPSA link (an interconnector, a converter) or a line, whose
/// flows around a cycle also obey Kirchhoff's voltage law ([`System::kvl_cycles`]).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Link {
    pub name: String,
    pub bus0: usize,
    pub bus1: usize,
    /// Capacity, MW (PyPSA's `p_nom` or `s_nom`); the existing capacity when extendable.
    pub p_nom: f64,
    pub efficiency: f64,
    /// Without `p_min_pu`: the flow may run backwards down to `-p_nom`.
    pub bidirectional: bool,
    /// Flow limits per unit of capacity per snapshot, or one value for all (PyPSA's `p_max_pu`
    /// and `p_min_pu`, `±s_max_pu` for a line); empty: 1, and -1 when `bidirectional` else 0.
    pub p_max_pu: Vec<f64>,
    pub p_min_pu: Vec<f64>,
    /// USD per MWh of flow out of `bus0` (PyPSA's link `marginal_cost`).
    pub marginal_cost: f64,
    /// USD per MWh in each snapshot when it varies; empty means `marginal_cost` throughout.
    pub marginal_cost_t: Vec<f64>,
    /// Capacity expansion (PyPSA's `p_nom_extendable` / `s_nom_extendable`).
    pub expansion: Option<LinkExpansion>,
    /// Commitment and ramp limits of a PyPSA link that has them.
    pub operation: Option<LinkOperation>,
    /// A PyPSA line rather than a link (reported under `lines`).
    pub is_line: bool,
}

/// A link's commitment and ramp limits (PyPSA's committable or ramp-limited link); series hold
/// one value for all snapshots or one per snapshot.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LinkOperation {
    pub committable: bool,
    /// PyPSA's `p_nom_mod`: the status counts modules of this many MW when positive.
    pub module: f64,
    pub min_up_time: usize,
    pub min_down_time: usize,
    pub up_time_before: usize,
    pub down_time_before: usize,
    pub start_up_cost: Vec<f64>,
    pub shut_down_cost: Vec<f64>,
    pub stand_by_cost: Vec<f64>,
    pub ramp_limit_up: Option<Vec<f64>>,
    pub ramp_limit_down: Option<Vec<f64>>,
    pub ramp_limit_start_up: Option<f64>,
    pub ramp_limit_shut_down: Option<f64>,
    pub p_init: Option<f64>,
    /// Big-M of a committable extendable link without modules (as [`Generator::big_m`]).
    pub big_m: Option<f64>,
}

impl LinkOperation {
    /// Value of a series in snapshot `t` (0 when empty).
    pub fn at(series: &[f64], t: usize) -> f64 {
        at_or(series, t, 0.0)
    }

    fn reduced(&self, reduce: &impl Fn(&Vec<f64>) -> Vec<f64>) -> Self {
        LinkOperation {
            start_up_cost: reduce(&self.start_up_cost),
            shut_down_cost: reduce(&self.shut_down_cost),
            stand_by_cost: reduce(&self.stand_by_cost),
            ramp_limit_up: self.ramp_limit_up.as_ref().map(reduce),
            ramp_limit_down: self.ramp_limit_down.as_ref().map(reduce),
            ..self.clone()
        }
    }
}

fn at_or(series: &[f64], t: usize, default: f64) -> f64 {
    match series.len() {
        0 => default,
        1 => series[0],
        _ => series[t],
    }
}

impl Link {
    pub fn p_max_pu_at(&self, t: usize) -> f64 {
        at_or(&self.p_max_pu, t, 1.0)
    }
    pub fn p_min_pu_at(&self, t: usize) -> f64 {
        at_or(
            &self.p_min_pu,
            t,
            if self.bidirectional { -1.0 } else { 0.0 },
        )
    }
    pub fn marginal_cost_at(&self, t: usize) -> f64 {
        self.marginal_cost_t
            .get(t)
            .copied()
            .unwrap_or(self.marginal_cost)
    }
}

/// An extendable branch: capacity `p_nom_min ≤ P ≤ p_nom_max` costed at `capital_cost` per MW,
/// flow between the link's `p_min_pu · P` and `p_max_pu · P`.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkExpansion {
    pub p_nom_min: f64,
    pub p_nom_max: f64,
    pub capital_cost: f64,
    /// PyPSA's `p_nom_mod`: built in whole modules of this many MW when positive.
    pub module: f64,
}

/// A network's global constraint (PyPSA's `primary_energy` on a carrier attribute such as
/// `co2_emissions`): `lower ≤ Σ_t w^gen_t Σ_g a_g p_g,t − Σ_s a_s e_s,T−1 ≤ upper`, with `a_g`
/// the attribute per MWh of output and, for non-cyclic storage units, `a_s` on the state of
/// charge left at the end (its initial state already moved into the bounds).
#[derive(Debug, Clone, PartialEq)]
pub struct EmissionLimit {
    pub name: String,
    pub lower: f64,
    pub upper: f64,
    /// Per generator, the attribute per MWh of output (0 for none).
    pub generators: Vec<f64>,
    /// Per storage unit, the attribute on its final state of charge (0 for none).
    pub storage_units: Vec<f64>,
}

/// A storage unit (PyPSA's `StorageUnit`): charge, discharge and state of charge.
#[derive(Debug, Clone, PartialEq)]
pub struct StorageUnit {
    pub name: String,
    pub bus: usize,
    /// Existing (non-extendable) power capacity, MW.
    pub p_nom: f64,
    pub extendable: bool,
    pub p_nom_min: f64,
    pub p_nom_max: f64,
    /// Cost per MW of power capacity per modelled horizon (PyPSA's `capital_cost`).
    pub capital_cost: f64,
    /// USD per MWh discharged.
    pub marginal_cost: f64,
    /// USD per MWh discharged in each snapshot when it varies; empty: `marginal_cost`.
    pub marginal_cost_t: Vec<f64>,
    /// Energy capacity per MW of power capacity, hours.
    pub max_hours: f64,
    /// Discharge limit per unit of capacity (PyPSA's `p_max_pu`, constant).
    pub p_max_pu: f64,
    /// Charge limit is `-p_min_pu` per unit of capacity (PyPSA's `p_min_pu`, constant, default -1).
    pub p_min_pu: f64,
    /// `p_max_pu` and `p_min_pu` per snapshot when they vary; empty: the constants.
    pub p_max_pu_t: Vec<f64>,
    pub p_min_pu_t: Vec<f64>,
    pub efficiency_store: f64,
    pub efficiency_dispatch: f64,
    /// Share of the state of charge lost per hour.
    pub standing_loss: f64,
    /// Without representative periods: the state of charge at the end equals the one at the
    /// start; otherwise it starts from `state_of_charge_initial`. With linked representative
    /// periods: the same across the whole year.
    pub cyclic_state_of_charge: bool,
    /// MWh, used when not cyclic.
    pub state_of_charge_initial: f64,
    /// Natural inflow, MW per snapshot (or one value for all; empty for none); what cannot be
    /// stored is spilled.
    pub inflow: Vec<f64>,
    /// PyPSA's `p_nom_mod`: built in whole modules of this many MW when positive (single-period
    /// plans).
    pub module: f64,
    /// PyPSA's `sign`: +1 (discharge feeds the bus), -1 reverses both directions.
    pub sign: f64,
}

impl StorageUnit {
    pub fn marginal_cost_at(&self, t: usize) -> f64 {
        at_or(&self.marginal_cost_t, t, self.marginal_cost)
    }
    pub fn p_max_pu_at(&self, t: usize) -> f64 {
        at_or(&self.p_max_pu_t, t, self.p_max_pu)
    }
    pub fn p_min_pu_at(&self, t: usize) -> f64 {
        at_or(&self.p_min_pu_t, t, self.p_min_pu)
    }
    pub fn inflow_at(&self, t: usize) -> f64 {
        match self.inflow.len() {
            0 => 0.0,
            1 => self.inflow[0],
            _ => self.inflow[t],
        }
    }
    pub fn has_inflow(&self) -> bool {
        self.inflow.iter().any(|&v| v != 0.0)
    }
}

/// How the snapshots sit in the real year; it decides how chronology starts and ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Chronology {
    /// The blocks are representative periods of unknown order (hand-made systems): commitment,
    /// ramps and the state of charge wrap around inside each block.
    Wrap,
    /// The snapshots are the real sequence of the year (one block), as in PyPSA: commitment
    /// starts from the initial status (`up_time_before`, `down_time_before`), ramps are free at
    /// the first snapshot, and storage is cyclic or starts from `state_of_charge_initial`.
    Sequential,
    /// The blocks are representative periods standing for the original periods in the order
    /// `sequence` (block index of each original period, [`Aggregation::assignment`]);
    /// commitment and ramps wrap inside each block and storage is linked across the sequence
    /// (inter-period state of charge, Kotzur et al. 2018) unless the plan says otherwise.
    Linked {
        sequence: Vec<usize>,
        /// Hours of the last original period (less than `block_hours` if it is partial).
        last_hours: usize,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct System {
    pub buses: Vec<String>,
    pub loads: Vec<Load>,
    pub generators: Vec<Generator>,
    pub storage_units: Vec<StorageUnit>,
    pub links: Vec<Link>,
    /// Hours each snapshot stands for in the objective (PyPSA's `objective` weighting).
    pub weights: Vec<f64>,
    /// Hours each snapshot lasts in the state-of-charge balance (PyPSA's `stores` weighting);
    /// empty means one hour each.
    pub store_weights: Vec<f64>,
    /// Weight of each snapshot's output in the network's emission limits (PyPSA's
    /// `generators` weighting); empty means `weights`.
    pub generator_weights: Vec<f64>,
    /// Hours per block: chronology (ramps, start-ups) wraps within each block.
    /// Equal to the number of snapshots when the year is one block.
    pub block_hours: usize,
    pub chronology: Chronology,
    /// Kirchhoff's voltage law: per independent cycle of the lines, (index into `links`,
    /// orientation times per-unit impedance); the weighted flows around each cycle sum to 0.
    pub kvl_cycles: Vec<Vec<(usize, f64)>>,
    /// The network's own emission limits (single-period plans only).
    pub emission_limits: Vec<EmissionLimit>,
}

impl System {
    pub fn hours(&self) -> usize {
        self.weights.len()
    }

    /// Load of bus `b` in snapshot `t`, MW (before a period's load scale).
    pub fn bus_load(&self, b: usize, t: usize) -> f64 {
        self.loads
            .iter()
            .filter(|l| l.bus == b)
            .map(|l| l.p_set_at(t))
            .sum()
    }

    /// Weight of snapshot `t`'s output in the network's emission limits.
    pub fn generator_weight(&self, t: usize) -> f64 {
        self.generator_weights
            .get(t)
            .copied()
            .unwrap_or(self.weights[t])
    }

    /// Duration of snapshot `t` in the state-of-charge balance, hours.
    pub fn store_weight(&self, t: usize) -> f64 {
        self.store_weights.get(t).copied().unwrap_or(1.0)
    }

    /// Weight in hours of each block.
    pub fn blocks(&self) -> Vec<f64> {
        self.weights
            .chunks(self.block_hours.max(1))
            .map(|c| c.iter().sum())
            .collect()
    }

    /// The same system on representative periods: loads and availabilities are clustered together.
    /// Assumes hourly snapshots of weight 1.
    pub fn aggregated(
        &self,
        settings: &aggregate::Settings,
    ) -> Result<(System, Aggregation), crate::Error> {
        let mut series: Vec<&[f64]> = Vec::new();
        for l in &self.loads {
            if l.p_set.len() > 1 {
                series.push(&l.p_set);
            }
        }
        for g in &self.generators {
            if g.p_max_pu.len() > 1 {
                series.push(&g.p_max_pu);
            }
        }
        for s in &self.storage_units {
            if s.inflow.len() > 1 {
                series.push(&s.inflow);
            }
        }
        let flat = vec![0.0; self.hours()];
        if series.is_empty() {
            series.push(&flat);
        }
        let agg = aggregate::aggregate(&series, settings)?;
        let reduce = |v: &Vec<f64>| {
            if v.len() > 1 {
                agg.reduce(v)
            } else {
                v.clone()
            }
        };
        let sys = System {
            buses: self.buses.clone(),
            loads: self
                .loads
                .iter()
                .map(|l| Load {
                    p_set: reduce(&l.p_set),
                    ..l.clone()
                })
                .collect(),
            generators: self
                .generators
                .iter()
                .map(|g| Generator {
                    p_max_pu: reduce(&g.p_max_pu),
                    p_min_pu: reduce(&g.p_min_pu),
                    marginal_cost_t: reduce(&g.marginal_cost_t),
                    varying: g.varying.reduced(&reduce),
                    ..g.clone()
                })
                .collect(),
            storage_units: self
                .storage_units
                .iter()
                .map(|s| StorageUnit {
                    inflow: reduce(&s.inflow),
                    marginal_cost_t: reduce(&s.marginal_cost_t),
                    p_max_pu_t: reduce(&s.p_max_pu_t),
                    p_min_pu_t: reduce(&s.p_min_pu_t),
                    ..s.clone()
                })
                .collect(),
            links: self
                .links
                .iter()
                .map(|l| Link {
                    p_max_pu: reduce(&l.p_max_pu),
                    p_min_pu: reduce(&l.p_min_pu),
                    marginal_cost_t: reduce(&l.marginal_cost_t),
                    operation: l.operation.as_ref().map(|o| o.reduced(&reduce)),
                    ..l.clone()
                })
                .collect(),
            weights: agg.reduced_weights(&self.weights),
            store_weights: reduce(&self.store_weights),
            // Hourly snapshots of weight 1: a representative hour's output counts as often as
            // its objective weight says.
            generator_weights: Vec::new(),
            block_hours: agg.period_hours,
            chronology: Chronology::Linked {
                sequence: agg.assignment.clone(),
                last_hours: agg.hours - (agg.assignment.len() - 1) * agg.period_hours,
            },
            kvl_cycles: self.kvl_cycles.clone(),
            emission_limits: self.emission_limits.clone(),
        };
        Ok((sys, agg))
    }
}
