//! The system the planning model optimises: buses, loads, generators and transport links over
//! a sequence of snapshots cut into blocks (representative periods).
//!
//! It is a compact, planning-oriented view of a network: a PyPSA folder read by the core can be
//! turned into one, and tests and studies can build one directly.
//! [`System::aggregated`] replaces the year by representative periods.

use crate::aggregate::{self, Aggregation};

use super::file::PlanningFile;

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
    /// Lower limit of dispatch per unit of capacity (PyPSA's `p_min_pu`, constant).
    pub p_min_pu: f64,
    /// Availability per snapshot, or one value for all.
    pub p_max_pu: Vec<f64>,
    /// Emissions, t CO2 per MWh of electric output (0 for nuclear and renewables);
    /// counted against `investment.co2_cap_t`.
    pub co2_t_per_mwh: f64,
}

impl Generator {
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

/// A fixed transport link between two buses (an interconnector).
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub name: String,
    pub bus0: usize,
    pub bus1: usize,
    pub p_nom: f64,
    pub efficiency: f64,
    pub bidirectional: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct System {
    pub buses: Vec<String>,
    pub loads: Vec<Load>,
    pub generators: Vec<Generator>,
    pub links: Vec<Link>,
    /// Hours each snapshot stands for in the objective (PyPSA's `objective` weighting).
    pub weights: Vec<f64>,
    /// Hours per block: chronology (ramps, start-ups) wraps within each block.
    /// Equal to the number of snapshots when the year is one block.
    pub block_hours: usize,
}

impl System {
    pub fn hours(&self) -> usize {
        self.weights.len()
    }

    /// Weight in hours of each block.
    pub fn blocks(&self) -> Vec<f64> {
        self.weights
            .chunks(self.block_hours.max(1))
            .map(|c| c.iter().sum())
            .collect()
    }

    /// The area (index into `plan.areas`) of each bus, if any.
    pub fn area_of_bus(&self, plan: &PlanningFile) -> Vec<Option<usize>> {
        self.buses
            .iter()
            .map(|b| {
                plan.areas
                    .iter()
                    .position(|a| a.buses.iter().any(|x| x == b))
            })
            .collect()
    }

    /// The same system on representative periods: loads and availabilities are clustered together.
    /// Assumes hourly snapshots of weight 1.
    pub fn aggregated(
        &self,
        settings: &aggregate::Settings,
    ) -> Result<(System, Aggregation), aggregate::AggregateError> {
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
                    ..g.clone()
                })
                .collect(),
            links: self.links.clone(),
            weights: agg.reduced_weights(),
            block_hours: agg.period_hours,
        };
        Ok((sys, agg))
    }
}
