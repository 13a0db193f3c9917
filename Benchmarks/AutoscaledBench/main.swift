SimulatorBench.run()
