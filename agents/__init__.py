"""Mesa agents of the model: readable views over the state tables."""

from agents.employer import Employer
from agents.job_seeker import JobSeeker
from agents.municipality import Municipality

__all__ = ["JobSeeker", "Employer", "Municipality"]
