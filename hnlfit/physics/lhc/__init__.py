"""LHC sector: parton luminosities, heavy-neutrino pair and single production (issue 11).

``luminosity``  the shipped q q-bar luminosity tables (NNPDF2.3 QED LO, from pythia8mc)
``partonic``    partonic cross sections and angular distributions (dipole and mixing vertices)
``production``  hadronic cross sections sigma(pp -> ...) and the LO event samplers
``lep``         e+e- -> N1 N2 at LEP and Z -> N1 N2 (the sterile-sterile dipole)
"""
