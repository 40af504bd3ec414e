"""The ordinary Mesa API works: agents as views, DataCollector, batch_run."""

from __future__ import annotations

import mesa
import numpy as np

from abm.model import LabourMarketModel
from agents import Employer, JobSeeker, Municipality
from tests.conftest import small_model


def test_every_row_is_a_mesa_agent_view():
    m = small_model(months=2, agent_views=True)
    seekers = m.agents_by_type[JobSeeker]
    assert len(seekers) == m.s.n
    assert len(m.agents_by_type[Employer]) == m.e.n
    assert len(m.agents_by_type[Municipality]) == 5
    person = seekers[10]
    assert person.skill == float(m.s.skill[person.row])
    assert person.state_name in ("unemployed", "regular", "parallel", "basisbaan", "participation", "inactive")
    person.self_stigma = 0.5
    assert m.s.self_stigma[person.row] == np.float32(0.5)
    m.run()
    assert person.as_dict()["person_id"] == m.s.person_id[person.row]
    stad = next(a for a in m.agents_by_type[Municipality] if a.name == "Stad")
    assert stad.policy.basisbaan_slots == 50 and stad.bijstand_stock > 0 and stad.neighbours
    firm = m.agents_by_type[Employer][0]
    assert firm.kind_name == "regular" and set(firm.beliefs) == {"long_term_unemployed", "psychological", "older",
                                                                 "migrant", "work_limitation"}


def test_datacollector_holds_the_timeseries():
    m = small_model(months=3)
    m.run()
    df = m.datacollector.get_model_vars_dataframe()
    assert len(df) == 4 and "inclusion_rate" in df.columns


def test_batch_run_varies_a_policy():
    results = mesa.batch_run(LabourMarketModel,
                             parameters={"scenario": "default", "scale": 8.0, "agent_views": False, "seed": [1, 2],
                                         "policy.basisbaan_slots": [0, 400]},
                             iterations=1, max_steps=6, number_processes=1, data_collection_period=-1,
                             display_progress=False)
    assert len(results) == 4
    by_slots = {}
    for row in results:
        assert row["Step"] == 6 and row["month"] == 6
        by_slots.setdefault(row["policy.basisbaan_slots"], []).append(row["n_basisbaan"])
    assert min(by_slots[400]) > max(by_slots[0])


def test_social_network_is_clustered_within_municipalities():
    m = small_model(months=1)
    soc = m.social
    src = np.repeat(np.arange(m.s.n), soc.degree)
    same = m.s.municipality[src] == m.s.municipality[soc.indices]
    assert same.mean() > 0.7
    assert (src != soc.indices).mean() > 0.99
    g = soc.neighbourhood_graph(0, radius=2)
    assert g.number_of_nodes() > soc.degree[0]


def test_region_graph_links_municipalities_within_commuting_reach():
    m = small_model(months=1)
    g = m.region_graph
    assert g.number_of_nodes() == 5 and g.number_of_edges() >= 4
    assert np.allclose(m.commute.sum(axis=1), 1.0)
    assert (np.diag(m.commute) > 0.3).all()
