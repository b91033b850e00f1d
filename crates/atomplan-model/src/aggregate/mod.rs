//! Time-series aggregation: a year of hourly profiles stood for by a few representative
//! periods (days or weeks).
//!
//! Capacity expansion with unit commitment and integer modules is too slow on 8,760 hours, so
//! the planning model solves on representative periods instead.
//! This module is pure: it takes the hourly profiles (load, wind, solar, ...) as arrays, cuts
//! them into periods, clusters the periods (k-medoids with a seeded, deterministic start, or
//! hierarchical Ward clustering) and returns which real period stands for which, how many hours
//! each stands for, and the error of the reconstructed year against the full one.
//! Representatives are real periods (medoids), so chronology is kept inside each of them, and the
//! original sequence of periods ([`Aggregation::assignment`]) lets storage be linked across them
//! (inter-period state of charge, as in Kotzur et al. 2018).

use std::fmt;

use crate::Error;

#[cfg(test)]
mod tests;

/// How periods are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// k-medoids (alternate assignment/update, then PAM swaps), started by k-medoids++ from `seed`.
    KMedoids { seed: u64 },
    /// Agglomerative clustering with Ward's linkage; each cluster is represented by its medoid.
    Ward,
}

/// What to aggregate to. Defaults: days, 12 representatives, k-medoids with seed 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// Hours per period: 24 for representative days, 168 for weeks.
    pub period_hours: usize,
    /// Number of representative periods; clamped to the number of whole periods.
    pub representatives: usize,
    pub method: Method,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            period_hours: 24,
            representatives: 12,
            method: Method::KMedoids { seed: 0 },
        }
    }
}

/// The result: representatives, their weights and the mapping of every original period.
#[derive(Debug, Clone, PartialEq)]
pub struct Aggregation {
    pub period_hours: usize,
    /// Hours in the original profiles.
    pub hours: usize,
    /// Index (in the original year) of the real period chosen as each representative, sorted.
    pub representatives: Vec<usize>,
    /// For every original period (the last one may be partial), the representative (index into
    /// `representatives`) that stands for it. This is the chronological sequence used to link
    /// storage across periods.
    pub assignment: Vec<usize>,
    /// Hours of the original year each representative stands for; they add up to `hours`.
    pub weight_hours: Vec<f64>,
}

impl Aggregation {
    /// Number of representative periods.
    pub fn len(&self) -> usize {
        self.representatives.len()
    }

    pub fn is_empty(&self) -> bool {
        self.representatives.is_empty()
    }

    /// How many original hours one hour of representative `r` stands for, on average over its
    /// hours (see [`Aggregation::reduced_weights`] for the weights hour by hour).
    pub fn hour_weight(&self, r: usize) -> f64 {
        self.weight_hours[r] / self.period_hours as f64
    }

    /// The hours of the original year that make up representative `r`, in order.
    pub fn representative_hours(&self, r: usize) -> std::ops::Range<usize> {
        let start = self.representatives[r] * self.period_hours;
        start..start + self.period_hours
    }

    /// The representatives' hours of `series`, concatenated (length `len() * period_hours`).
    pub fn reduce(&self, series: &[f64]) -> Vec<f64> {
        (0..self.len())
            .flat_map(|r| series[self.representative_hours(r)].iter().copied())
            .collect()
    }

    /// Snapshot weightings of the reduced series, one per reduced hour: the sum of the
    /// `weights` of the original hours that hour stands for (with hourly snapshots of weight 1,
    /// the number of original periods), where a partial last period of `L` hours counts only
    /// for the first `L` hours of its representative (as in [`Aggregation::expand`]).
    /// So Σ weight · value over the reduced series is the weighted sum over the rebuilt year,
    /// exactly, and the reduced weights add up to the original ones.
    pub fn reduced_weights(&self, weights: &[f64]) -> Vec<f64> {
        let ph = self.period_hours;
        let mut w = vec![0.0; self.len() * ph];
        for (p, &r) in self.assignment.iter().enumerate() {
            let len = ph.min(self.hours - p * ph);
            for (i, v) in w[r * ph..r * ph + len].iter_mut().enumerate() {
                *v += weights[p * ph + i];
            }
        }
        w
    }

    /// The year rebuilt from the representatives: each original period replaced by its
    /// representative (a partial last period takes the representative's first hours).
    pub fn expand(&self, series: &[f64]) -> Vec<f64> {
        let mut out = Vec::with_capacity(self.hours);
        for (p, &r) in self.assignment.iter().enumerate() {
            let len = self.period_hours.min(self.hours - p * self.period_hours);
            let start = self.representatives[r] * self.period_hours;
            out.extend_from_slice(&series[start..start + len]);
        }
        out
    }

    /// Error of the rebuilt year against the full one for one series.
    pub fn error(&self, series: &[f64]) -> ErrorMetrics {
        let rebuilt = self.expand(series);
        error_metrics(series, &rebuilt)
    }
}

/// How far a rebuilt year is from the original one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ErrorMetrics {
    /// Root-mean-square error, hour by hour, divided by the mean absolute value of the original
    /// (0 when the original is all zero and so is the error).
    pub nrmse: f64,
    /// Relative error of the annual sum (energy), weighted representatives against the original.
    pub energy_rel: f64,
    /// Relative error of the peak value.
    pub peak_rel: f64,
    /// Root-mean-square error between the two duration curves (both sorted in descending order),
    /// divided by the mean absolute value of the original.
    pub duration_curve_nrmse: f64,
}

impl fmt::Display for ErrorMetrics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "NRMSE {:.2} %, energy {:+.2} %, peak {:+.2} %, duration curve NRMSE {:.2} %",
            100.0 * self.nrmse,
            100.0 * self.energy_rel,
            100.0 * self.peak_rel,
            100.0 * self.duration_curve_nrmse
        )
    }
}

fn rel(a: f64, b: f64) -> f64 {
    if b.abs() > 0.0 {
        (a - b) / b.abs()
    } else if a.abs() > 0.0 {
        1.0
    } else {
        0.0
    }
}

fn error_metrics(original: &[f64], rebuilt: &[f64]) -> ErrorMetrics {
    let n = original.len().max(1) as f64;
    let mean_abs = original.iter().map(|v| v.abs()).sum::<f64>() / n;
    let scale = if mean_abs > 0.0 { mean_abs } else { 1.0 };
    let rmse = (original
        .iter()
        .zip(rebuilt)
        .map(|(a, b)| (a - b).powi(2))
        .sum::<f64>()
        / n)
        .sqrt();
    let mut sorted_o = original.to_vec();
    let mut sorted_r = rebuilt.to_vec();
    sorted_o.sort_by(|a, b| b.total_cmp(a));
    sorted_r.sort_by(|a, b| b.total_cmp(a));
    let dc = (sorted_o
        .iter()
        .zip(&sorted_r)
        .map(|(a, b)| (a - b).powi(2))
        .sum::<f64>()
        / n)
        .sqrt();
    let peak_o = sorted_o.first().copied().unwrap_or(0.0);
    let peak_r = sorted_r.first().copied().unwrap_or(0.0);
    ErrorMetrics {
        nrmse: rmse / scale,
        energy_rel: rel(rebuilt.iter().sum(), original.iter().sum()),
        peak_rel: rel(peak_r, peak_o),
        duration_curve_nrmse: dc / scale,
    }
}

/// Cluster the periods of `profiles` (all of equal length, hourly) into representatives.
///
/// Each series is scaled to [0, 1] by its own minimum and maximum before distances are taken,
/// so that a load in MW and a capacity factor weigh alike.
/// A trailing partial period (e.g. the 52nd week's last day) takes part in no clustering: it is
/// assigned to the representative closest on its first hours.
pub fn aggregate(profiles: &[&[f64]], settings: &Settings) -> Result<Aggregation, Error> {
    let first = profiles.first().ok_or(Error::NoProfiles)?;
    let hours = first.len();
    for (index, p) in profiles.iter().enumerate() {
        if p.len() != hours {
            return Err(Error::ProfileLength {
                index,
                len: p.len(),
                expected: hours,
            });
        }
        if let Some(hour) = p.iter().position(|v| !v.is_finite()) {
            return Err(Error::ProfileNotFinite { index, hour });
        }
    }
    if settings.period_hours == 0 {
        return Err(Error::AggregationZero {
            field: "period_hours",
        });
    }
    if settings.representatives == 0 {
        return Err(Error::AggregationZero {
            field: "representatives",
        });
    }
    let ph = settings.period_hours;
    let n_periods = hours / ph;
    if n_periods == 0 {
        return Err(Error::ProfilesTooShort {
            period_hours: ph,
            hours,
        });
    }
    let k = settings.representatives.min(n_periods);

    // Scaled feature vectors, one per whole period.
    let scaled: Vec<Vec<f64>> = profiles
        .iter()
        .map(|p| {
            let lo = p.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = p.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let span = if hi > lo { hi - lo } else { 1.0 };
            p.iter().map(|v| (v - lo) / span).collect()
        })
        .collect();
    let feature = |period: usize, len: usize| -> Vec<f64> {
        scaled
            .iter()
            .flat_map(|s| s[period * ph..period * ph + len].iter().copied())
            .collect()
    };
    let features: Vec<Vec<f64>> = (0..n_periods).map(|p| feature(p, ph)).collect();
    let dist = DistanceMatrix::new(&features);

    let medoids = match settings.method {
        Method::KMedoids { seed } => k_medoids(&dist, k, seed),
        Method::Ward => ward(&features, &dist, k),
    };
    let mut medoids = medoids;
    medoids.sort_unstable();

    let mut assignment: Vec<usize> = (0..n_periods)
        .map(|p| nearest(&dist, &medoids, p).0)
        .collect();
    // Trailing partial period.
    let tail = hours - n_periods * ph;
    if tail > 0 {
        let f_tail = feature(n_periods, tail);
        let best = (0..medoids.len())
            .map(|r| {
                let f_med = feature(medoids[r], tail);
                let d: f64 = f_tail
                    .iter()
                    .zip(&f_med)
                    .map(|(a, b)| (a - b).powi(2))
                    .sum();
                (r, d)
            })
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map_or(0, |(r, _)| r);
        assignment.push(best);
    }
    let mut weight_hours = vec![0.0; medoids.len()];
    for (p, &r) in assignment.iter().enumerate() {
        weight_hours[r] += ph.min(hours - p * ph) as f64;
    }
    Ok(Aggregation {
        period_hours: ph,
        hours,
        representatives: medoids,
        assignment,
        weight_hours,
    })
}

/// Packed symmetric matrix of squared Euclidean distances between periods.
struct DistanceMatrix {
    n: usize,
    d: Vec<f64>,
}

impl DistanceMatrix {
    fn new(features: &[Vec<f64>]) -> Self {
        let n = features.len();
        let mut d = vec![0.0; n * n];
        for i in 0..n {
            for j in (i + 1)..n {
                let v: f64 = features[i]
                    .iter()
                    .zip(&features[j])
                    .map(|(a, b)| (a - b).powi(2))
                    .sum();
                d[i * n + j] = v;
                d[j * n + i] = v;
            }
        }
        DistanceMatrix { n, d }
    }
    fn get(&self, i: usize, j: usize) -> f64 {
        self.d[i * self.n + j]
    }
}

/// Index into `medoids` of the nearest medoid to `p` (ties to the lowest index), and the distance.
fn nearest(dist: &DistanceMatrix, medoids: &[usize], p: usize) -> (usize, f64) {
    let mut best = (0, f64::INFINITY);
    for (r, &m) in medoids.iter().enumerate() {
        let d = dist.get(p, m);
        if d < best.1 {
            best = (r, d);
        }
    }
    best
}

fn total_cost(dist: &DistanceMatrix, medoids: &[usize]) -> f64 {
    (0..dist.n).map(|p| nearest(dist, medoids, p).1).sum()
}

/// SplitMix64: a small, fixed generator so that results never depend on a crate's version.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// k-medoids: k-medoids++ start from `seed`, then alternate (assign, re-centre), then PAM swaps
/// until no swap lowers the total distance.
fn k_medoids(dist: &DistanceMatrix, k: usize, seed: u64) -> Vec<usize> {
    let n = dist.n;
    let mut rng = SplitMix64(seed);
    let mut medoids = vec![(rng.next_u64() % n as u64) as usize];
    let mut closest: Vec<f64> = (0..n).map(|p| dist.get(p, medoids[0])).collect();
    while medoids.len() < k {
        let total: f64 = closest.iter().sum();
        let pick = if total > 0.0 {
            let target = rng.next_f64() * total;
            let mut acc = 0.0;
            let mut pick = n - 1;
            for (p, &c) in closest.iter().enumerate() {
                acc += c;
                if acc > target && c > 0.0 {
                    pick = p;
                    break;
                }
            }
            pick
        } else {
            // All remaining periods coincide with a medoid: take the first unused one.
            (0..n).find(|p| !medoids.contains(p)).unwrap_or(0)
        };
        if medoids.contains(&pick) {
            let Some(p) = (0..n).find(|p| !medoids.contains(p)) else {
                break;
            };
            medoids.push(p);
        } else {
            medoids.push(pick);
        }
        let m = *medoids.last().unwrap_or(&0);
        for (p, c) in closest.iter_mut().enumerate() {
            *c = c.min(dist.get(p, m));
        }
    }

    // Alternate: re-centre each cluster on its medoid.
    for _ in 0..100 {
        let assign: Vec<usize> = (0..n).map(|p| nearest(dist, &medoids, p).0).collect();
        let mut changed = false;
        for (r, medoid) in medoids.iter_mut().enumerate() {
            let members: Vec<usize> = (0..n).filter(|&p| assign[p] == r).collect();
            let best = members
                .iter()
                .map(|&c| (c, members.iter().map(|&q| dist.get(c, q)).sum::<f64>()))
                .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
            if let Some((c, _)) = best {
                if c != *medoid {
                    *medoid = c;
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }

    // PAM swap phase, first improvement, bounded.
    let mut cost = total_cost(dist, &medoids);
    for _ in 0..50 {
        let mut improved = false;
        for r in 0..medoids.len() {
            for candidate in 0..n {
                if medoids.contains(&candidate) {
                    continue;
                }
                let old = medoids[r];
                medoids[r] = candidate;
                let c = total_cost(dist, &medoids);
                if c < cost - 1e-12 * cost.max(1.0) {
                    cost = c;
                    improved = true;
                } else {
                    medoids[r] = old;
                }
            }
        }
        if !improved {
            break;
        }
    }
    medoids
}

/// Ward's agglomerative clustering (Lance-Williams update on squared Euclidean distances), cut at
/// `k` clusters; each cluster is represented by its member closest to the cluster's centroid.
fn ward(features: &[Vec<f64>], dist: &DistanceMatrix, k: usize) -> Vec<usize> {
    let n = dist.n;
    // Ward's merge cost between singletons i, j is |x_i - x_j|^2 / 2.
    let mut d: Vec<f64> = dist.d.iter().map(|v| v / 2.0).collect();
    let mut size = vec![1usize; n];
    let mut alive = vec![true; n];
    let mut members: Vec<Vec<usize>> = (0..n).map(|i| vec![i]).collect();
    let mut clusters = n;
    while clusters > k {
        let mut best = (0, 0, f64::INFINITY);
        for i in 0..n {
            if !alive[i] {
                continue;
            }
            for j in (i + 1)..n {
                if alive[j] && d[i * n + j] < best.2 {
                    best = (i, j, d[i * n + j]);
                }
            }
        }
        let (a, b, dab) = best;
        for c in 0..n {
            if !alive[c] || c == a || c == b {
                continue;
            }
            let (na, nb, nc) = (size[a] as f64, size[b] as f64, size[c] as f64);
            let v =
                ((na + nc) * d[a * n + c] + (nb + nc) * d[b * n + c] - nc * dab) / (na + nb + nc);
            d[a * n + c] = v;
            d[c * n + a] = v;
        }
        size[a] += size[b];
        alive[b] = false;
        let moved = std::mem::take(&mut members[b]);
        members[a].extend(moved);
        clusters -= 1;
    }
    let dim = features.first().map_or(0, Vec::len);
    (0..n)
        .filter(|&i| alive[i])
        .map(|i| {
            let m = &members[i];
            let mut centroid = vec![0.0; dim];
            for &p in m {
                for (c, v) in centroid.iter_mut().zip(&features[p]) {
                    *c += v;
                }
            }
            for c in &mut centroid {
                *c /= m.len() as f64;
            }
            *m.iter()
                .min_by(|&&p, &&q| {
                    let dp: f64 = features[p]
                        .iter()
                        .zip(&centroid)
                        .map(|(a, b)| (a - b).powi(2))
                        .sum();
                    let dq: f64 = features[q]
                        .iter()
                        .zip(&centroid)
                        .map(|(a, b)| (a - b).powi(2))
                        .sum();
                    dp.total_cmp(&dq).then(p.cmp(&q))
                })
                .unwrap_or(&i)
        })
        .collect()
}
